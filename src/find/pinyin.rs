//! Pinyin jumping for `filter`: a Latin query term matches Chinese characters by their pinyin.
//!
//! A term is matched against a title one character at a time, as fzf matches a subsequence:
//! a Chinese character takes any start of one of its readings (`b`, `bei` for 北; every reading
//! of a polyphonic character: 行 is `xing` and `hang`), any other character takes itself
//! (smart case as the rest of the term), and characters may be skipped. So `bjdx` and `beijing`
//! find 北京大学, and `wx暂停` finds 微信暂停. The readings come from the `pinyin` crate's tables
//! (plain, without tones): each character's most common reading, and a polyphonic
//! character's other readings only where they are common ([`readings`]).
//!
//! Speed: titles are prepared once ([`Readings`] interns each character's set of syllables, a
//! title keeps one small id per character), a term compares itself once with every syllable
//! ([`Table`]), and a title is first checked with a bit-parallel pass (which positions of the
//! term can be reached) before the scoring pass runs.
//!
//! Scoring is nucleo-matcher's (fzf's) scale, so that a title matched by pinyin and one matched
//! as written rank together: each char of the term taken scores the same, plus the bonus of
//! where it falls (a word's start, the title's start), and a gap inside the match costs. Each
//! Chinese character's syllable is a word: its initial takes a word start's bonus, so the
//! initials of a title's first characters (`yys` for 云原生…) score as the first letters of
//! its words would.

use std::collections::HashMap;

use nucleo_matcher::chars::{normalize, to_lower_case};
use pinyin::ToPinyin;

use crate::find::one_char::{self, Class, bonus_for, class};
use crate::find::unit::Unit;

/// Longest term (in chars) matched by pinyin; longer ones are left to the plain matcher.
pub const MAX_TERM: usize = 48;

/// The readings of `c` a reader types (no tones), empty when it has none: its most common
/// reading, and for the polyphonic characters whose other readings are common too
/// ([`COMMON_HETERONYMS`]) those. The `pinyin` crate's heteronyms include rare and classical
/// readings (内 as ruì, 的 as dí), which made false hits.
pub fn readings(c: char) -> impl Iterator<Item = &'static str> {
    // Looked up once per character met (the sets are interned), so a plain scan will do.
    let others = COMMON_HETERONYMS
        .iter()
        .find(|&&(h, _)| h == c)
        .map_or(&[][..], |&(_, others)| others);
    c.to_pinyin()
        .map(|p| p.plain())
        .into_iter()
        .chain(others.iter().copied())
}

/// Polyphonic characters common in titles, with their common readings (plain; the most
/// common one may be repeated). The rest of a polyphonic character's readings are too rare to type.
const COMMON_HETERONYMS: &[(char, &[&str])] = &[
    ('了', &["liao"]),
    ('传', &["zhuan"]),
    ('仔', &["zi"]),
    ('会', &["kuai"]),
    ('便', &["pian"]),
    ('假', &["jia"]),
    ('冲', &["chong"]),
    ('几', &["ji"]),
    ('切', &["qie"]),
    ('单', &["shan", "chan"]),
    ('卡', &["qia"]),
    ('参', &["shen", "can"]),
    ('和', &["huo", "he"]),
    ('地', &["de", "di"]),
    ('处', &["chu"]),
    ('大', &["dai"]),
    ('奇', &["ji"]),
    ('将', &["jiang"]),
    ('少', &["shao"]),
    ('尽', &["jin"]),
    ('屏', &["bing", "ping"]),
    ('差', &["chai", "cha"]),
    ('干', &["gan"]),
    ('应', &["ying"]),
    ('弹', &["tan", "dan"]),
    ('强', &["jiang", "qiang"]),
    ('得', &["dei", "de"]),
    ('曲', &["qu"]),
    ('曾', &["ceng", "zeng"]),
    ('朝', &["chao", "zhao"]),
    ('校', &["jiao", "xiao"]),
    ('模', &["mu", "mo"]),
    ('没', &["mo", "mei"]),
    ('浅', &["qian"]),
    ('率', &["lü", "shuai"]),
    ('的', &["de"]),
    ('盛', &["cheng", "sheng"]),
    ('相', &["xiang"]),
    ('省', &["xing", "sheng"]),
    ('着', &["zhao", "zhuo", "zhe"]),
    ('种', &["zhong"]),
    ('空', &["kong"]),
    ('系', &["ji", "xi"]),
    ('结', &["jie"]),
    ('给', &["ji", "gei"]),
    ('背', &["bei"]),
    ('落', &["la", "luo"]),
    ('薄', &["bo", "bao"]),
    ('藏', &["zang", "cang"]),
    ('血', &["xie", "xue"]),
    ('行', &["hang", "xing"]),
    ('角', &["jue", "jiao"]),
    ('解', &["xie", "jie"]),
    ('觉', &["jiao", "jue"]),
    ('调', &["tiao", "diao"]),
    ('转', &["zhuan"]),
    ('还', &["huan", "hai"]),
    ('都', &["du", "dou"]),
    ('重', &["chong", "zhong"]),
    ('量', &["liang"]),
    ('长', &["zhang", "chang"]),
    ('降', &["xiang", "jiang"]),
    ('露', &["lou", "lu"]),
    ('乐', &["yue", "le"]),
    ('发', &["fa"]),
    ('数', &["shu"]),
    ('教', &["jiao"]),
    ('为', &["wei"]),
    ('只', &["zhi"]),
    ('分', &["fen"]),
    ('看', &["kan"]),
    ('要', &["yao"]),
    ('好', &["hao"]),
    ('更', &["geng"]),
    ('号', &["hao"]),
    ('称', &["chen", "cheng"]),
    ('提', &["di", "ti"]),
    ('似', &["shi", "si"]),
    ('区', &["ou", "qu"]),
    ('车', &["ju", "che"]),
    ('华', &["hua"]),
    ('识', &["zhi", "shi"]),
];

/// Syllables and characters' sets of them, interned: each character met has the id of its set,
/// looked up by code point ([`Readings::known_set`]) when a title is ranked.
#[derive(Debug, Clone)]
pub struct Readings {
    /// Every syllable seen, by id.
    syllables: Vec<&'static str>,
    syllable_ids: HashMap<&'static str, u16>,
    /// Sets of syllable ids by id; set 0 is empty (a character without pinyin).
    sets: Vec<Box<[u16]>>,
    set_ids: HashMap<Box<[u16]>, u16>,
    /// The set of each character of [`COMMON`] (0: none, or not met yet): nearly every
    /// character of a Chinese title, looked up by code point without hashing when titles are
    /// ranked.
    common: Vec<u16>,
    /// Which characters of [`COMMON`] have been met (one bit each), so that each is looked up
    /// in the `pinyin` crate once.
    met: Vec<u64>,
    /// Each other character met (full-width forms, rare ideographs, emoji), with its set.
    chars: HashMap<char, u16, foldhash::fast::RandomState>,
    /// True when some character outside [`COMMON`] has a set: until then, every such
    /// character is known to have none without a lookup (full-width punctuation).
    others_read: bool,
}

/// CJK punctuation, kana and the CJK Unified Ideographs with extension A: where nearly every
/// character of a Chinese title is. Its table of sets (56 KiB) stays in a core's cache while
/// titles are ranked.
const COMMON: std::ops::Range<u32> = 0x3000..0xA000;

impl Default for Readings {
    fn default() -> Readings {
        Readings {
            syllables: Vec::new(),
            syllable_ids: HashMap::new(),
            sets: vec![Box::new([])],
            set_ids: HashMap::new(),
            common: Vec::new(),
            met: Vec::new(),
            chars: HashMap::default(),
            others_read: false,
        }
    }
}

impl Readings {
    /// The id of `c`'s set of syllables (0: none; ASCII never has one).
    pub fn set_of(&mut self, c: char) -> u16 {
        if c.is_ascii() {
            return 0;
        }
        match Self::slot(c) {
            Some(slot) => {
                self.make_common();
                let bit = 1u64 << (slot % 64);
                if self.met[slot / 64] & bit == 0 {
                    self.met[slot / 64] |= bit;
                    self.common[slot] = self.intern(readings(c));
                }
                self.common[slot]
            }
            None => {
                if let Some(&id) = self.chars.get(&c) {
                    return id;
                }
                let id = self.intern(readings(c));
                self.chars.insert(c, id);
                self.others_read |= id != 0;
                id
            }
        }
    }

    /// Makes [`COMMON`]'s tables, once: most titles (ASCII ones) never need them.
    fn make_common(&mut self) {
        if self.met.is_empty() {
            self.met = vec![0; COMMON.len().div_ceil(64)];
            self.common = vec![0; COMMON.len()];
        }
    }

    /// Where `c` is in [`COMMON`]'s table, if it is there.
    #[inline]
    fn slot(c: char) -> Option<usize> {
        let slot = u32::from(c).wrapping_sub(COMMON.start) as usize;
        (slot < COMMON.len()).then_some(slot)
    }

    /// The id of the set of `c`, a character [`Readings::set_of`] has met (0 for one it has
    /// not): what ranking reads for each character of a title, so that titles need not keep
    /// a set id per character.
    #[inline]
    pub fn known_set(&self, c: impl Unit) -> u16 {
        let slot = c.code().wrapping_sub(COMMON.start) as usize;
        if let Some(&id) = self.common.get(slot) {
            return id;
        }
        if !self.others_read || slot < COMMON.len() || c.code() < 0x80 {
            return 0;
        }
        self.chars.get(&c.char()).copied().unwrap_or(0)
    }

    /// Learns every character `other` has met, with its set taken into this one's ids (for
    /// titles prepared apart, then joined).
    pub fn take_chars(&mut self, other: &Readings) {
        let mut ids: Vec<Option<u16>> = vec![None; other.len()];
        let mut id_here = |this: &mut Readings, set: u16| {
            *ids[usize::from(set)].get_or_insert_with(|| this.take_set(other, set))
        };
        if !other.met.is_empty() {
            self.make_common();
        }
        for (word, &bits) in other.met.iter().enumerate() {
            self.met[word] |= bits;
            let mut bits = bits;
            while bits != 0 {
                let slot = word * 64 + bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let id = id_here(self, other.common[slot]);
                self.common[slot] = id;
            }
        }
        for (&c, &set) in &other.chars {
            let id = id_here(self, set);
            self.chars.insert(c, id);
            self.others_read |= id != 0;
        }
    }

    /// The id of `other`'s set `id` here (for titles prepared apart, then joined).
    pub fn take_set(&mut self, other: &Readings, id: u16) -> u16 {
        let syllables = other
            .set(id)
            .iter()
            .map(|&s| other.syllables[usize::from(s)]);
        self.intern(syllables)
    }

    /// The id of the set of `readings` (0: none), added when it is new.
    fn intern(&mut self, readings: impl Iterator<Item = &'static str>) -> u16 {
        let mut set: Vec<u16> = Vec::new();
        for reading in readings {
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
        if set.is_empty() {
            0
        } else {
            let next = self.sets.len();
            let set: Box<[u16]> = set.into();
            match self.set_ids.get(&set) {
                Some(&id) => id,
                None => match u16::try_from(next).ok() {
                    Some(id) => {
                        self.sets.push(set.clone());
                        self.set_ids.insert(set, id);
                        id
                    }
                    None => 0,
                },
            }
        }
    }

    /// How many sets there are (set 0, none, included): ids are below it.
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    /// True when no set but the empty one is known.
    pub fn is_empty(&self) -> bool {
        self.sets.len() <= 1
    }

    /// The syllable ids of set `id`.
    fn set(&self, id: u16) -> &[u16] {
        &self.sets[usize::from(id)]
    }

    /// The first letters of the syllables of set `id` (as `bit` gives them), and their first
    /// two letters (as `pair` gives them): a term's pinyin match takes a syllable from its
    /// start, so these say which term letters a character can take first, and which pairs.
    pub fn starts(
        &self,
        id: u16,
        bit: impl Fn(char) -> u64,
        pair: impl Fn(char, char) -> u64,
    ) -> (u64, u64) {
        // A term takes `ü` as `u` or `v` (see `Term::table`).
        let forms = |c: char| match c {
            'ü' => ['u', 'v'],
            c => [c, c],
        };
        let (mut initials, mut pairs) = (0, 0);
        for &s in self.set(id) {
            let mut letters = self.syllables[usize::from(s)].chars();
            let Some(first) = letters.next() else {
                continue;
            };
            let second = letters.next();
            for a in forms(first) {
                initials |= bit(a);
                for b in second.map(forms).into_iter().flatten() {
                    pairs |= pair(a, b);
                }
            }
        }
        (initials, pairs)
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

/// A term's char as the letter it stands for in a reading: `ü` is kept in a title's masks as
/// `u` (and `v`), the letters a reader types for it.
pub fn as_reading_letter(c: char) -> char {
    if c == 'ü' { 'u' } else { c }
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
    /// `reach[set * m + j]`: the positions of the term a char with syllable set `set` can
    /// take it to from position `j`, one bit each.
    reach: Vec<u64>,
}

/// nucleo-matcher's scores (fzf's), so that a match by pinyin and a match as written are on
/// one scale: each char of the term taken scores [`SCORE_MATCH`] plus the bonus of where it
/// falls, a gap inside the match costs. A Chinese character's syllable starts a word (a
/// character is a word of pinyin), so its initial takes a word start's bonus and the letters
/// after it in the syllable the same, as the letters of a word typed whole do.
const SCORE_MATCH: i32 = one_char::SCORE_MATCH as i32;
const PENALTY_GAP_START: i32 = 3;
const PENALTY_GAP_EXTENSION: i32 = 1;
const BONUS_BOUNDARY: i32 = one_char::BONUS_BOUNDARY as i32;
const BONUS_BOUNDARY_WHITE: i32 = one_char::BONUS_BOUNDARY_WHITE as i32;
const BONUS_CONSECUTIVE: i32 = PENALTY_GAP_START + PENALTY_GAP_EXTENSION;
const BONUS_FIRST_CHAR_MULTIPLIER: i32 = one_char::BONUS_FIRST_CHAR_MULTIPLIER as i32;
/// Added to a match that starts at the title's first char, by pinyin or as written
/// (nucleo-matcher's prefix bonus; `titles` adds it to matches as written): after white space
/// mid-title a character scores as it does at the start, and with this the initials of a
/// title's start (`bcyy` for 编程语言…) rank it above the titles that hold the same
/// characters further on.
pub const BONUS_PREFIX: i32 = BONUS_BOUNDARY;
/// Below any reachable score.
const NONE: i32 = i32::MIN / 2;

/// The bonus of a char of class `class` after one of class `prev`, as nucleo-matcher gives it
/// (the classes and bonuses are `one_char`'s, checked there against nucleo's own).
fn bonus(prev: Class, class: Class) -> i32 {
    i32::from(bonus_for(prev, class))
}

/// The score of taking `k` chars of the term at once, from its position `j`: one char as
/// written (`syllable` false) with bonus `bonus`, or `k` letters of a syllable.
fn step_score(j: usize, k: usize, syllable: bool, bonus: i32, consecutive: bool) -> i32 {
    let bonus = if syllable {
        bonus.max(BONUS_BOUNDARY)
    } else if consecutive {
        bonus.max(BONUS_CONSECUTIVE)
    } else {
        bonus
    };
    let first = if j == 0 {
        bonus * (BONUS_FIRST_CHAR_MULTIPLIER - 1)
    } else {
        0
    };
    (SCORE_MATCH + bonus) * k as i32 + first
}

/// Scores after some chars of a title: `[j][matched]`, the best score with `j` chars of the
/// term taken, the title's char before matched or not.
type Scores = [[i32; 2]; MAX_TERM + 1];

/// Where each cell of a [`Scores`] came from: the term position and state before the char.
type Back = [[(u8, u8); 2]; MAX_TERM + 1];

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

    /// A score no pinyin match of this term can pass: every char at a word start after white
    /// space. A title matching as written with this score needs no pinyin scoring.
    pub fn best_possible(&self) -> u16 {
        let m = self.needle.len() as i32;
        let top = (SCORE_MATCH + BONUS_BOUNDARY_WHITE) * m
            + BONUS_BOUNDARY_WHITE * (BONUS_FIRST_CHAR_MULTIPLIER - 1)
            + BONUS_PREFIX;
        top.clamp(0, i32::from(u16::MAX)) as u16
    }

    /// The term's chars as nucleo holds them (case-folded unless the term has an upper-case
    /// letter), and lower-cased, as syllables are compared with them.
    pub fn chars(&self) -> (&[char], &[char]) {
        (&self.needle, &self.lower)
    }

    /// The chars a title must hold (in itself or in its readings' letters) to match; a `ü`
    /// as `u`, the letter a reading's `ü` and a written `ü` both give a title's masks.
    pub fn required(&self) -> impl Iterator<Item = char> + '_ {
        self.lower
            .iter()
            .filter(|c| !c.is_whitespace())
            .map(|&c| as_reading_letter(c))
    }

    /// This term compared with the syllables of `readings`.
    pub fn table(&self, readings: &Readings) -> Table {
        let m = self.lower.len();
        let mut table = Table {
            lcp: vec![0; readings.syllables.len() * m],
            reach: Vec::new(),
        };
        for (s, syllable) in readings.syllables.iter().enumerate() {
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
    fn same_mask(&self, c: impl Unit) -> u64 {
        match self.ascii.get(c.code() as usize) {
            Some(&mask) => mask,
            None if self.has_wide => (0..self.needle.len())
                .filter(|&j| self.same_slow(c.char(), j))
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

    /// Calls `each(consumed, by_pinyin)` for every way title char `c` (with syllable set `set`)
    /// can match the term from position `j`: as written, or by a start of a syllable.
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
            for kk in 1..=k {
                each(kk, true);
            }
        }
    }

    /// Whether the term can match `title` at all (which of its positions can be reached, one
    /// bit each, after each char): the chars from the first that takes the term's first char
    /// to the first where a match can end, or `None`. The best match that ends first lies there
    /// (ranking looks no further, as fzf's first algorithm does not).
    fn reaches<U: Unit>(
        &self,
        title: &[U],
        readings: &Readings,
        table: &Table,
    ) -> Option<std::ops::Range<usize>> {
        let m = self.lower.len();
        let goal = 1u64 << m;
        let mut reach = 1u64;
        let mut first = None;
        for (i, &c) in title.iter().enumerate() {
            let open = reach & (goal - 1);
            let mut add = (open & self.same_mask(c)) << 1;
            let unit = readings.known_set(c);
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

    /// One char of the title (`c`, after a char of class `prev`; `first`: the title's first):
    /// from the scores before
    /// it (`best`) to the scores after (`next`), noting in `back` where each cell came from.
    #[allow(clippy::too_many_arguments)]
    fn advance(
        &self,
        c: char,
        first: bool,
        prev: Class,
        set: &[u16],
        table: &Table,
        best: &Scores,
        next: &mut Scores,
        mut back: Option<&mut Back>,
    ) {
        let m = self.needle.len();
        for (j, cell) in next.iter_mut().enumerate().take(m + 1) {
            let inside = j > 0 && j < m;
            let (start, extend) = if inside {
                (PENALTY_GAP_START, PENALTY_GAP_EXTENSION)
            } else {
                (0, 0)
            };
            let (from_matched, from_gap) = (best[j][1] - start, best[j][0] - extend);
            *cell = [from_matched.max(from_gap), NONE];
            if let Some(back) = back.as_deref_mut() {
                back[j][0] = (j as u8, u8::from(from_matched >= from_gap));
            }
        }
        let as_written = bonus(prev, class(c));
        let syllable_bonus = bonus(prev, Class::Letter);
        for (j, from) in best.iter().enumerate().take(m) {
            if from[0] == NONE && from[1] == NONE {
                continue;
            }
            self.steps(c, set, table, j, |k, syllable| {
                let b = if syllable { syllable_bonus } else { as_written };
                let prefix = if first && syllable { BONUS_PREFIX } else { 0 };
                let after_gap = from[0] + step_score(j, k, syllable, b, false) + prefix;
                let after_match = from[1] + step_score(j, k, syllable, b, true) + prefix;
                let (score, state) = if after_match >= after_gap {
                    (after_match, 1)
                } else {
                    (after_gap, 0)
                };
                let to = &mut next[j + k][1];
                if score > *to {
                    *to = score;
                    if let Some(back) = back.as_deref_mut() {
                        back[j + k][1] = (j as u8, state);
                    }
                }
            });
        }
    }

    /// The class of the char before title char `i` (a title starts after white space, as
    /// nucleo-matcher reads it).
    fn prev_class<U: Unit>(title: &[U], i: usize) -> Class {
        match i.checked_sub(1) {
            Some(p) => class(title[p].char()),
            None => Class::Whitespace,
        }
    }

    /// The score of the best match in `title` (one char per grapheme cluster, as nucleo reads
    /// it, each of its chars met by `readings`), or `None`.
    pub fn score<U: Unit>(&self, title: &[U], readings: &Readings, table: &Table) -> Option<u16> {
        let window = self.reaches(title, readings, table)?;
        let m = self.needle.len();
        let mut scores: [Scores; 2] = [[[NONE; 2]; MAX_TERM + 1]; 2];
        scores[0][0][0] = 0;
        // The two rows take turns; swapping the arrays themselves (392 bytes each, per char)
        // was two thirds of this function's time.
        let [mut best, mut next] = scores.each_mut();
        for i in window {
            let c = title[i].char();
            let prev = Self::prev_class(title, i);
            let set = readings.set(readings.known_set(c));
            self.advance(c, i == 0, prev, set, table, best, next, None);
            std::mem::swap(&mut best, &mut next);
        }
        let top = best[m][0].max(best[m][1]);
        (top > NONE / 2).then(|| top.clamp(1, i32::from(u16::MAX)) as u16)
    }

    /// The indices (into `title`) of the chars of the best match, ascending, or `None`.
    pub fn positions<U: Unit>(
        &self,
        title: &[U],
        readings: &Readings,
        table: &Table,
    ) -> Option<Vec<u32>> {
        let window = self.reaches(title, readings, table)?;
        let start = window.start;
        let m = self.needle.len();
        let mut best: Scores = [[NONE; 2]; MAX_TERM + 1];
        best[0][0] = 0;
        // Where each cell came from, after each char of the window.
        let mut backs: Vec<Back> = Vec::with_capacity(window.len());
        for i in window {
            let mut next = [[NONE; 2]; MAX_TERM + 1];
            let mut back: Back = [[(0, 0); 2]; MAX_TERM + 1];
            let prev = Self::prev_class(title, i);
            let c = title[i].char();
            let set = readings.set(readings.known_set(c));
            self.advance(
                c,
                i == 0,
                prev,
                set,
                table,
                &best,
                &mut next,
                Some(&mut back),
            );
            backs.push(back);
            best = next;
        }
        if best[m][0].max(best[m][1]) <= NONE / 2 {
            return None;
        }
        let mut found = Vec::new();
        let (mut j, mut state) = (m, usize::from(best[m][1] >= best[m][0]));
        for (offset, back) in backs.iter().enumerate().rev() {
            let (from_j, from_state) = back[j][state];
            if state == 1 {
                found.push((start + offset) as u32);
            }
            j = usize::from(from_j);
            state = usize::from(from_state);
        }
        found.reverse();
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (term, title) prepared, as `filter` prepares them.
    fn run<T>(q: &str, title: &str, f: impl Fn(&Term, &[char], &Readings, &Table) -> T) -> T {
        let term = Term::new(q.chars()).unwrap();
        let mut readings = Readings::default();
        let chars: Vec<char> = title.chars().collect();
        chars.iter().for_each(|&c| {
            readings.set_of(c);
        });
        let table = term.table(&readings);
        f(&term, &chars, &readings, &table)
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
