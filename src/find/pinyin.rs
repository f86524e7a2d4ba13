//! Pinyin jumping for `filter`: a Latin query term matches Chinese characters by their pinyin.
//!
//! A term is matched against a title one character at a time, as fzf matches a subsequence:
//! a Chinese character takes any start of one of its readings (`b`, `bei` for 北; every reading
//! of a polyphonic character: 行 is `xing` and `hang`), any other character takes itself
//! (smart case as the rest of the term), and characters may be skipped. So `bjdx` and `beijing`
//! find 北京大学, and `wx暂停` finds 微信暂停. The readings come from the `pinyin` crate's tables
//! (plain, without tones, with every heteronym).
//!
//! Speed: titles are prepared once ([`Readings`] interns each character's set of syllables, a
//! title keeps one small id per character), a term compares itself once with every syllable
//! ([`Table`]), and a title is first checked with a bit-parallel pass (which positions of the
//! term can be reached) before the scoring pass runs.
//!
//! Scoring, higher is better: every char of the term taken counts the same, a run of
//! consecutive characters more, a whole syllable more than an initial, a match at the title's
//! start more; skipped characters inside the match cost a little.

use std::collections::HashMap;

use nucleo_matcher::chars::{normalize, to_lower_case};
use pinyin::ToPinyinMulti;

/// Longest term (in chars) matched by pinyin; longer ones are left to the plain matcher.
pub const MAX_TERM: usize = 48;

/// The plain readings of `c` (no tones; a polyphonic character has several, perhaps repeated),
/// empty when it has none.
pub fn readings(c: char) -> impl Iterator<Item = &'static str> {
    c.to_pinyin_multi()
        .into_iter()
        .flat_map(|multi| multi.into_iter().map(|p| p.plain()))
}

/// Syllables and characters' sets of them, interned: a title keeps one `u16` per character.
#[derive(Debug, Clone)]
pub struct Readings {
    /// Every syllable seen, by id.
    syllables: Vec<&'static str>,
    syllable_ids: HashMap<&'static str, u16>,
    /// Sets of syllable ids by id; set 0 is empty (a character without pinyin).
    sets: Vec<Box<[u16]>>,
    set_ids: HashMap<Box<[u16]>, u16>,
    /// Each character of the CJK Unified Ideographs block met, with its set ([`UNKNOWN`] for
    /// one not met yet): most of a title's characters, looked up without hashing.
    common: Vec<u16>,
    /// Each other character met, with its set.
    chars: HashMap<char, u16>,
}

/// The CJK Unified Ideographs block, where nearly every Chinese character of a title is.
const COMMON: std::ops::Range<u32> = 0x4E00..0xA000;
/// A character not looked up yet.
const UNKNOWN: u16 = u16::MAX;

impl Default for Readings {
    fn default() -> Readings {
        Readings {
            syllables: Vec::new(),
            syllable_ids: HashMap::new(),
            sets: vec![Box::new([])],
            set_ids: HashMap::new(),
            common: Vec::new(),
            chars: HashMap::new(),
        }
    }
}

impl Readings {
    /// The id of `c`'s set of syllables (0: none; ASCII never has one).
    pub fn set_of(&mut self, c: char) -> u16 {
        if c.is_ascii() {
            return 0;
        }
        let common = COMMON.contains(&u32::from(c));
        let slot = (u32::from(c).wrapping_sub(COMMON.start)) as usize;
        if common {
            if self.common.is_empty() {
                self.common = vec![UNKNOWN; COMMON.len()];
            }
            if self.common[slot] != UNKNOWN {
                return self.common[slot];
            }
        } else if let Some(&id) = self.chars.get(&c) {
            return id;
        }
        let mut set: Vec<u16> = Vec::new();
        for reading in readings(c) {
            let next = self.syllables.len();
            let id = *self
                .syllable_ids
                .entry(reading)
                .or_insert_with(|| u16::try_from(next).unwrap_or(u16::MAX));
            if usize::from(id) == next {
                self.syllables.push(reading);
            }
            if id != u16::MAX && !set.contains(&id) {
                set.push(id);
            }
        }
        let id = if set.is_empty() {
            0
        } else {
            let next = self.sets.len();
            let set: Box<[u16]> = set.into();
            match self.set_ids.get(&set) {
                Some(&id) => id,
                None => match u16::try_from(next).ok().filter(|&id| id != UNKNOWN) {
                    Some(id) => {
                        self.sets.push(set.clone());
                        self.set_ids.insert(set, id);
                        id
                    }
                    None => 0,
                },
            }
        };
        if common {
            self.common[slot] = id;
        } else {
            self.chars.insert(c, id);
        }
        id
    }

    /// The syllable ids of set `id`.
    fn set(&self, id: u16) -> &[u16] {
        &self.sets[usize::from(id)]
    }

    /// The letters of every syllable of set `id`, as `bit` gives them.
    pub fn letters(&self, id: u16, bit: impl Fn(char) -> u64) -> u64 {
        self.set(id)
            .iter()
            .flat_map(|&s| self.syllables[usize::from(s)].chars())
            .fold(0, |mask, r| match r {
                'ü' => mask | bit('u') | bit('v'),
                _ => mask | bit(r),
            })
    }
}

/// A query term prepared for pinyin matching.
#[derive(Debug, Clone)]
pub struct Term {
    /// The term as nucleo holds it (case-folded unless it has an upper-case letter).
    needle: Vec<char>,
    /// The same, lower-cased, compared with readings.
    lower: Vec<char>,
    /// True when Latin letters match regardless of case.
    ignore_case: bool,
    /// True when the term has a char that is not ASCII (a Chinese character typed).
    has_wide: bool,
    /// For each ASCII char, the positions of the term it is (one bit each).
    ascii: [u64; 128],
}

/// A term compared with every syllable of a [`Readings`].
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// `lcp[s * m + j]`: how many chars of the term from `j` on syllable `s` starts with.
    lcp: Vec<u8>,
    /// Each syllable's length.
    len: Vec<u8>,
    /// `reach[set * m + j]`: the positions of the term a char with syllable set `set` can
    /// take it to from position `j`, one bit each.
    reach: Vec<u64>,
}

/// What scoring adds: per char of the term taken (the same for every way to match: only the
/// bonuses tell them apart), and the bonuses.
const MATCHED: i32 = 16;
const CONSECUTIVE: i32 = 8;
const SYLLABLE: i32 = 4;
const AT_START: i32 = 8;
const GAP: i32 = 2;
/// Below any reachable score.
const NONE: i32 = i32::MIN / 2;

/// Scores after some chars of a title: `[j][matched]`, the best score with `j` chars of the
/// term taken, the title's char before matched or not.
type Scores = [[i32; 2]; MAX_TERM + 1];

impl Term {
    /// The pinyin form of a term's needle, or `None` when the term has no ASCII letter (a
    /// purely Chinese term needs no pinyin) or is too long.
    pub fn new(needle: impl IntoIterator<Item = char>) -> Option<Term> {
        let needle: Vec<char> = needle.into_iter().collect();
        if needle.len() > MAX_TERM || !needle.iter().any(char::is_ascii_alphabetic) {
            return None;
        }
        let ignore_case = !needle.iter().any(|c| c.is_uppercase());
        let lower = needle.iter().map(|&c| to_lower_case(c)).collect();
        let has_wide = !needle.iter().all(char::is_ascii);
        let mut term = Term {
            needle,
            lower,
            ignore_case,
            has_wide,
            ascii: [0; 128],
        };
        for b in 0..128u8 {
            term.ascii[usize::from(b)] = (0..term.needle.len())
                .filter(|&j| term.same_slow(char::from(b), j))
                .fold(0, |mask, j| mask | 1 << j);
        }
        Some(term)
    }

    /// The chars a title must hold (in itself or in its readings' letters) to match.
    pub fn required(&self) -> impl Iterator<Item = char> + '_ {
        self.lower.iter().copied().filter(|c| !c.is_whitespace())
    }

    /// This term compared with the syllables of `readings`.
    pub fn table(&self, readings: &Readings) -> Table {
        let m = self.lower.len();
        let mut table = Table {
            lcp: vec![0; readings.syllables.len() * m],
            len: Vec::with_capacity(readings.syllables.len()),
            reach: Vec::new(),
        };
        for (s, syllable) in readings.syllables.iter().enumerate() {
            table.len.push(syllable.chars().count() as u8);
            for j in 0..m {
                let k = syllable
                    .chars()
                    .zip(&self.lower[j..])
                    .take_while(|&(r, &q)| r == q || (r == 'ü' && (q == 'v' || q == 'u')))
                    .count();
                table.lcp[s * m + j] = k as u8;
            }
        }
        table.reach = vec![0; readings.sets.len() * m];
        for (set, syllables) in readings.sets.iter().enumerate() {
            for j in 0..m {
                table.reach[set * m + j] = syllables
                    .iter()
                    .map(|&s| table.lcp[usize::from(s) * m + j])
                    .fold(0, |mask, k| mask | ((1u64 << k) - 1) << (j + 1));
            }
        }
        table
    }

    /// Whether title char `c` is the term's char at `j` as written.
    fn same(&self, c: char, j: usize) -> bool {
        match self.ascii.get(c as usize) {
            Some(mask) => mask & (1 << j) != 0,
            None => self.has_wide && self.same_slow(c, j),
        }
    }

    /// The positions of the term that title char `c` is as written.
    fn same_mask(&self, c: char) -> u64 {
        match self.ascii.get(c as usize) {
            Some(&mask) => mask,
            None if self.has_wide => (0..self.needle.len())
                .filter(|&j| self.same_slow(c, j))
                .fold(0, |mask, j| mask | 1 << j),
            None => 0,
        }
    }

    fn same_slow(&self, c: char, j: usize) -> bool {
        let want = self.needle[j];
        if c == want {
            return true;
        }
        if self.ignore_case {
            to_lower_case(normalize(c)) == want || normalize(to_lower_case(c)) == want
        } else {
            normalize(c) == want
        }
    }

    /// Calls `each(consumed, whole_syllable)` for every way title char `c` (with syllable set
    /// `set`) can match the term from position `j`.
    fn steps(
        &self,
        c: char,
        set: &[u16],
        table: &Table,
        j: usize,
        mut each: impl FnMut(usize, bool),
    ) {
        if self.same(c, j) {
            each(1, false);
        }
        let m = self.lower.len();
        for &s in set {
            let s = usize::from(s);
            let k = usize::from(table.lcp[s * m + j]);
            let whole = usize::from(table.len[s]);
            for kk in 1..=k {
                each(kk, kk == whole);
            }
        }
    }

    /// Whether the term can match `title` at all (which of its positions can be reached, one
    /// bit each, after each char): the chars from the first that takes the term's first char
    /// to the first where a match can end, or `None`. The best match that ends first lies there
    /// (ranking looks no further, as fzf's first algorithm does not).
    fn reaches(
        &self,
        title: &[char],
        units: &[u16],
        table: &Table,
    ) -> Option<std::ops::Range<usize>> {
        let m = self.lower.len();
        let goal = 1u64 << m;
        let mut reach = 1u64;
        let mut first = None;
        for (i, (&c, &unit)) in title.iter().zip(units).enumerate() {
            let open = reach & (goal - 1);
            let mut add = (open & self.same_mask(c)) << 1;
            if unit != 0 {
                let row = &table.reach[usize::from(unit) * m..][..m];
                let mut bits = open;
                while bits != 0 {
                    let j = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    add |= row[j];
                }
            }
            reach |= add;
            if add != 0 && first.is_none() {
                first = Some(i);
            }
            if reach & goal != 0 {
                return first.map(|first| first..i + 1);
            }
        }
        None
    }

    /// One char of the title: from the scores before it (`best`) to the scores after (`next`).
    #[allow(clippy::too_many_arguments)]
    fn advance(
        &self,
        i: usize,
        c: char,
        set: &[u16],
        table: &Table,
        best: &Scores,
        next: &mut Scores,
    ) {
        let m = self.needle.len();
        for (j, cell) in next.iter_mut().enumerate().take(m + 1) {
            let skipped = best[j][0].max(best[j][1]);
            let gap = if j > 0 && j < m { GAP } else { 0 };
            *cell = [skipped - gap, NONE];
        }
        for (j, from) in best.iter().enumerate().take(m) {
            if from[0] == NONE && from[1] == NONE {
                continue;
            }
            self.steps(c, set, table, j, |k, syllable| {
                let mut score = from[0].max(from[1] + CONSECUTIVE) + MATCHED * k as i32;
                if syllable {
                    score += SYLLABLE;
                }
                if i == 0 {
                    score += AT_START;
                }
                let to = &mut next[j + k][1];
                *to = (*to).max(score);
            });
        }
    }

    /// The score of the best match in `title` (one char per grapheme cluster, as nucleo reads
    /// it; `units` its syllable sets in `readings`), or `None`.
    pub fn score(
        &self,
        title: &[char],
        units: &[u16],
        readings: &Readings,
        table: &Table,
    ) -> Option<u16> {
        let window = self.reaches(title, units, table)?;
        let m = self.needle.len();
        let mut scores: [Scores; 2] = [[[NONE; 2]; MAX_TERM + 1]; 2];
        scores[0][0][0] = 0;
        // The two rows take turns; swapping the arrays themselves (392 bytes each, per char)
        // was two thirds of this function's time.
        let [mut best, mut next] = scores.each_mut();
        for i in window {
            let (c, unit) = (title[i], units[i]);
            self.advance(i, c, readings.set(unit), table, best, next);
            std::mem::swap(&mut best, &mut next);
        }
        let top = best[m][0].max(best[m][1]);
        (top > NONE / 2).then(|| top.clamp(1, i32::from(u16::MAX)) as u16)
    }

    /// The indices (into `title`) of the chars of the best match, ascending, or `None`.
    pub fn positions(
        &self,
        title: &[char],
        units: &[u16],
        readings: &Readings,
        table: &Table,
    ) -> Option<Vec<u32>> {
        let window = self.reaches(title, units, table)?;
        let (start, n) = (window.start, window.end);
        let m = self.needle.len();
        // Every step's scores (`steps[i - start]` before char `i`), to walk back from the end.
        let mut steps: Vec<Scores> = vec![[[NONE; 2]; MAX_TERM + 1]];
        steps[0][0][0] = 0;
        for i in window {
            let mut next = [[NONE; 2]; MAX_TERM + 1];
            let set = readings.set(units[i]);
            self.advance(i, title[i], set, table, &steps[i - start], &mut next);
            steps.push(next);
        }
        let mut found = Vec::new();
        let mut j = m;
        let last = n - start;
        let mut state = usize::from(steps[last][m][1] >= steps[last][m][0]);
        for i in (start..n).rev() {
            let here = steps[i - start + 1][j][state];
            if state == 0 {
                let gap = if j > 0 && j < m { GAP } else { 0 };
                state = usize::from(steps[i - start][j][1] - gap == here);
                continue;
            }
            found.push(i as u32);
            let before = &steps[i - start];
            let set = readings.set(units[i]);
            let mut came = None;
            for k in 1..=j {
                let from = before[j - k];
                if from[0] == NONE && from[1] == NONE {
                    continue;
                }
                let mut fits = None;
                self.steps(title[i], set, table, j - k, |kk, syllable| {
                    if kk != k {
                        return;
                    }
                    let mut score = MATCHED * k as i32 + if syllable { SYLLABLE } else { 0 };
                    if i == 0 {
                        score += AT_START;
                    }
                    if from[1] != NONE && from[1] + CONSECUTIVE + score == here {
                        fits = Some(1);
                    } else if from[0] != NONE && from[0] + score == here {
                        fits = fits.or(Some(0));
                    }
                });
                if let Some(s) = fits {
                    came = Some((k, s));
                    break;
                }
            }
            let (k, s) = came?;
            j -= k;
            state = s;
        }
        found.reverse();
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (term, title) prepared, as `filter` prepares them.
    fn run<T>(
        q: &str,
        title: &str,
        f: impl Fn(&Term, &[char], &[u16], &Readings, &Table) -> T,
    ) -> T {
        let term = Term::new(q.chars()).unwrap();
        let mut readings = Readings::default();
        let chars: Vec<char> = title.chars().collect();
        let units: Vec<u16> = chars.iter().map(|&c| readings.set_of(c)).collect();
        let table = term.table(&readings);
        f(&term, &chars, &units, &readings, &table)
    }

    fn score(q: &str, title: &str) -> Option<u16> {
        run(q, title, Term::score)
    }

    fn positions(q: &str, title: &str) -> Option<Vec<u32>> {
        run(q, title, Term::positions)
    }

    #[test]
    fn initials_full_and_mixed() {
        for q in ["bjdx", "beijing", "bjdaxue", "daxue", "bj大学", "dx"] {
            assert!(score(q, "北京大学").is_some(), "{q}");
        }
        assert_eq!(positions("bjdx", "北京大学"), Some(vec![0, 1, 2, 3]));
        assert_eq!(positions("daxue", "北京大学"), Some(vec![2, 3]));
        assert!(score("bjq", "北京大学").is_none());
        assert_eq!(
            positions("wx暂停", "微信暂停新用户注册"),
            Some(vec![0, 1, 2, 3])
        );
        assert_eq!(positions("zhuce", "微信暂停新用户注册"), Some(vec![7, 8]));
    }

    #[test]
    fn polyphonic_characters_match_every_reading() {
        assert!(score("yinhang", "银行行长").is_some());
        assert!(score("hangzhang", "银行行长").is_some());
        assert!(score("xingchang", "银行行长").is_some());
        assert!(score("lv", "绿色").is_some());
    }

    #[test]
    fn latin_in_the_title_matches_itself_with_smart_case() {
        assert_eq!(positions("yrust", "用Rust写"), Some(vec![0, 1, 2, 3, 4]));
        assert!(score("yRust", "用Rust写").is_some());
        assert!(score("yRUST", "用Rust写").is_none());
        assert!(Term::new("北京".chars()).is_none());
    }

    #[test]
    fn tighter_matches_score_higher() {
        let together = score("bj", "北京").unwrap();
        let apart = score("bj", "北方的京城").unwrap();
        assert!(together > apart, "{together} > {apart}");
    }
}
