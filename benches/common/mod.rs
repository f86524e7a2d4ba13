//! What the benches share: the archive sizes they measure at.

/// The sizes to measure at: `FOLIO_BENCH_SIZES` (comma-separated; CI's quick run sets 1000),
/// else `default`.
pub fn sizes(default: &[usize]) -> Vec<usize> {
    std::env::var("FOLIO_BENCH_SIZES")
        .ok()
        .map(|list| {
            list.split(',')
                .filter_map(|n| n.trim().parse().ok())
                .collect()
        })
        .unwrap_or_else(|| default.to_vec())
}
