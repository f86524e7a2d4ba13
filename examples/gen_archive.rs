//! Writes a synthetic seed-format archive for measuring folio at scale.
//!
//! `cargo run --release --example gen_archive -- DIR N` writes N articles under DIR (which must
//! not exist yet or be empty): month folders of 1,000 with their SUMMARY.md files.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(count)) = (args.first(), args.get(1).and_then(|n| n.parse().ok())) else {
        eprintln!("usage: gen_archive DIR N");
        return ExitCode::from(2);
    };
    let dir = PathBuf::from(dir);
    if dir
        .read_dir()
        .is_ok_and(|mut entries| entries.next().is_some())
    {
        eprintln!("gen_archive: {} is not empty", dir.display());
        return ExitCode::from(2);
    }
    match folio::archive::synth::write_archive(&dir, count) {
        Ok(bytes) => {
            println!(
                "{count} articles, {} MB, in {}",
                bytes / 1_000_000,
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("gen_archive: {}: {err}", dir.display());
            ExitCode::from(2)
        }
    }
}
