//! The characters that draw structure (quote bars, folds, rules, table borders): box drawing,
//! or ASCII where the terminal draws box drawing two cells wide. Used by `wrap` and `table`.

use crate::render::width::AmbiWidth;

/// The characters that draw structure.
pub struct Glyphs {
    /// A quote's bar.
    pub bar: &'static str,
    /// Stands for indentation folded away.
    pub fold: &'static str,
    /// Repeated to draw a rule.
    pub rule: &'static str,
    /// A table's horizontal border.
    pub h: &'static str,
    /// A table's vertical border.
    pub v: &'static str,
    /// A table's corners: top left, top right, bottom left, bottom right.
    pub corners: [&'static str; 4],
    /// A table's joints: down, up, right, left, cross.
    pub tees: [&'static str; 5],
}

impl Glyphs {
    /// The glyphs that line up under the terminal's ambiguous-width rule.
    pub fn for_ambi(ambi: AmbiWidth) -> &'static Glyphs {
        if ambi == AmbiWidth::Double {
            &ASCII_GLYPHS
        } else {
            &BOX_GLYPHS
        }
    }
}

/// Box drawing, for terminals that draw ambiguous characters one cell wide.
const BOX_GLYPHS: Glyphs = Glyphs {
    bar: "│",
    fold: "┊",
    rule: "─",
    h: "─",
    v: "│",
    corners: ["┌", "┐", "└", "┘"],
    tees: ["┬", "┴", "├", "┤", "┼"],
};

/// ASCII, where box drawing would be two cells wide and could not line up.
const ASCII_GLYPHS: Glyphs = Glyphs {
    bar: "|",
    fold: ":",
    rule: "-",
    h: "-",
    v: "|",
    corners: ["+", "+", "+", "+"],
    tees: ["+", "+", "+", "+", "+"],
};
