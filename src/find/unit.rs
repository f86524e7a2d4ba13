//! How a prepared title keeps a char (`prepared`): a `char`, or for nearly every title that is
//! not ASCII a UTF-16 code unit, half its size; the fast paths of a ranking (`one_char`,
//! `stand_in`, `pinyin`) read either where it is kept.

/// A char as a prepared title keeps it: a `char`, or a code unit of the Basic Multilingual
/// Plane (never a surrogate: it was a char).
/// Hot loops compare [`Unit::code`]s (ASCII, ideographs) and make the char only for the rest.
pub trait Unit: Copy {
    /// The char it is.
    fn char(self) -> char;
    /// Its code point.
    fn code(self) -> u32;
}

impl Unit for char {
    #[inline]
    fn char(self) -> char {
        self
    }

    #[inline]
    fn code(self) -> u32 {
        u32::from(self)
    }
}

impl Unit for u16 {
    #[inline]
    fn char(self) -> char {
        char::from_u32(u32::from(self)).unwrap_or(char::REPLACEMENT_CHARACTER)
    }

    #[inline]
    fn code(self) -> u32 {
        u32::from(self)
    }
}
