//! An ASCII stand-in for a title that is not ASCII, so that a term typed in ASCII letters
//! (nearly every keystroke) is scored by nucleo-matcher's byte path with the same score as on
//! the title itself.
//!
//! nucleo-matcher reads a title of `char`s by looking up every char's class, case fold and
//! diacritics in Unicode tables (binary searches), which is most of the cost of scoring a
//! Chinese title. An ASCII term can only match chars that read as ASCII, and the score of a
//! match depends on nothing but the matched chars and the class of the char before each
//! ([`nucleo_matcher`]'s `bonus_for`). So each char that cannot match the term is replaced by an
//! ASCII char of the same class that the term does not hold: the positions, the classes and
//! every possible match stay the same, and so does the score. An ideograph (class "letter",
//! which no ASCII char has) becomes an upper-case letter: as the char before a match, the two
//! give the same bonus (no boundary, no camel-case step), and neither is ever matched itself.
//! A char that reads as ASCII (`é` → `e`, the Kelvin sign → `k`) keeps the title on nucleo's
//! own path, and so does a title longer than [`StandIn::LONGEST`] chars.

use nucleo_matcher::chars::{normalize, to_lower_case};

use crate::find::one_char::{Class, class, is_ideograph_code};
use crate::find::unit::Unit;

/// The replacement chars for one term: ASCII chars of each class that the term does not hold
/// in any case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandIn {
    whitespace: u8,
    non_word: u8,
    lower: u8,
    upper: u8,
    number: u8,
}

impl StandIn {
    /// The longest title scored through a stand-in. nucleo-matcher scores a longer match
    /// range greedily when its matrix (which holds the range as chars, or as bytes) outgrows
    /// its scratch memory: four bytes a char fill it sooner than one a byte, so the two paths
    /// could differ. Up to this length (nucleo's own haystack limit) the matrix of chars always
    /// fits where the matrix of bytes does.
    pub const LONGEST: usize = 2048;

    /// The replacements for a term with `needle`, or `None` when the needle is not ASCII (or
    /// holds every candidate of some class).
    pub fn for_needle(needle: impl IntoIterator<Item = char>) -> Option<StandIn> {
        let mut held = [false; 128];
        for c in needle {
            if !c.is_ascii() {
                return None;
            }
            held[usize::from(c.to_ascii_lowercase() as u8)] = true;
            held[usize::from(c.to_ascii_uppercase() as u8)] = true;
        }
        let free = |candidates: &[u8]| candidates.iter().copied().find(|&b| !held[usize::from(b)]);
        // Not a delimiter of nucleo's default configuration (`/,:;|`): those have a class of
        // their own.
        Some(StandIn {
            whitespace: free(b" \t\n\r\x0c")?,
            non_word: free(b"#%&@~^`!?*+=<>")?,
            lower: free(b"qxzjvkwy")?,
            upper: free(b"QXZJVKWY")?,
            number: free(b"0123456789")?,
        })
    }

    /// Writes the stand-in of `title` (one `char` per grapheme cluster, as nucleo reads it)
    /// into `out`; false when some char of the title reads as ASCII and the title must be
    /// scored as it is.
    pub fn write<U: Unit>(&self, title: &[U], out: &mut Vec<u8>) -> bool {
        out.clear();
        out.reserve(title.len());
        for &unit in title {
            let code = unit.code();
            let byte = if code < 0x80 {
                code as u8
            } else if is_ideograph_code(code) {
                self.upper
            } else {
                match self.replace(unit.char()) {
                    Some(byte) => byte,
                    None => return false,
                }
            };
            out.push(byte);
        }
        true
    }

    /// The replacement of a char that is not ASCII, or `None` when it may read as ASCII.
    fn replace(&self, c: char) -> Option<u8> {
        let normalized = normalize(c);
        let forms = [
            normalized,
            to_lower_case(c),
            to_lower_case(normalized),
            normalize(to_lower_case(c)),
        ];
        if forms.iter().any(char::is_ascii) {
            return None;
        }
        Some(match class(c) {
            Class::Whitespace => self.whitespace,
            Class::NonWord => self.non_word,
            Class::Lower => self.lower,
            // As the char before a match, "letter" gives the bonus "upper" gives.
            Class::Upper | Class::Letter => self.upper,
            Class::Number => self.number,
            // Only ASCII chars are delimiters.
            Class::Delimiter => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
    use nucleo_matcher::{Config, Matcher, Utf32Str};

    /// The score of `query` in `title` as nucleo gives it, and through the stand-in.
    fn both(query: &str, title: &str) -> (Option<u16>, Option<u16>) {
        let pattern = Pattern::new(
            query,
            CaseMatching::Smart,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        let atom = &pattern.atoms[0];
        let mut engine = Matcher::new(Config::DEFAULT);
        let chars: Vec<char> = title.chars().collect();
        let direct = atom.score(Utf32Str::Unicode(&chars), &mut engine);
        let stand_in = StandIn::for_needle(query.chars()).unwrap();
        let mut bytes = Vec::new();
        assert!(stand_in.write(&chars, &mut bytes), "{title}");
        (direct, atom.score(Utf32Str::Ascii(&bytes), &mut engine))
    }

    #[test]
    fn ideographs_have_the_class_the_fast_path_gives_them() {
        let ranges = ['\u{4E00}'..='\u{9FFF}', '\u{3400}'..='\u{4DBF}'];
        for c in ranges.into_iter().flatten() {
            assert_eq!(class(c), Class::Letter, "{c:?}");
            assert!(
                StandIn::for_needle("ru".chars())
                    .unwrap()
                    .replace(c)
                    .is_some(),
                "{c:?}"
            );
        }
    }

    #[test]
    fn a_char_that_reads_as_ascii_keeps_the_title_as_it_is() {
        let stand_in = StandIn::for_needle("ke".chars()).unwrap();
        let mut out = Vec::new();
        assert!(!stand_in.write(&['c', 'a', 'f', 'é'], &mut out));
        assert!(
            !stand_in.write(&['\u{212A}'], &mut out),
            "the Kelvin sign folds to k"
        );
        assert!(stand_in.write(&['数', '据', '：', 'R', '１'], &mut out));
        assert_eq!(out, b"QQ#R0");
    }

    #[test]
    fn a_needle_that_is_not_ascii_has_no_stand_in() {
        assert_eq!(StandIn::for_needle("数据".chars()), None);
    }

    #[test]
    fn scores_are_nucleos_on_mixed_titles() {
        let titles = [
            "Rust 内存安全：所有权与借用",
            "为什么 rust 的 async 很难",
            "数据库索引（B+ 树）入门 rUst",
            "一文读懂 RUST，和 Go 比较",
            "Ｒｕｓｔ 全角与 rust",
            "Αθήνα 与 rust 的 ξ 字母 ru",
            "中文　空格 r u　st",
            "r中u中s中t",
            "数据123与 r2u 的 ru-st/ru_st",
        ];
        // A term of one char never takes this path (`one_char` scores it, as nucleo scores it on
        // chars: nucleo's own scan of one char differs between bytes and chars).
        for query in [
            "ru", "rust", "Rust", "RU", "r u", "rs", "ust", "2u", "st", "ber",
        ] {
            for title in titles {
                let (direct, stand_in) = both(query, title);
                assert_eq!(direct, stand_in, "{query:?} in {title:?}");
            }
        }
    }

    #[test]
    fn random_titles_score_as_nucleo_scores_them() {
        let alphabet: Vec<char> =
            "abrustRUSTxyz019 _-/:.，。：、（）《》“”数据库内存安全中文　ΑαЖж１２"
                .chars()
                .collect();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..20_000 {
            let title: String = (0..1 + next(24))
                .map(|_| alphabet[next(alphabet.len())])
                .collect();
            let query: String = (0..2 + next(4))
                .map(|_| b"abrustRUST019_-."[next(16)] as char)
                .collect();
            let (direct, stand_in) = both(&query, &title);
            assert_eq!(direct, stand_in, "{query:?} in {title:?}");
        }
    }
}
