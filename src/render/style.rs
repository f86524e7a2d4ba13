//! Styles: what a piece of laid-out text *is* (heading, code, link, quote bar…), not how it looks.
//!
//! `markdown` tags the spans of a `Document` with a [`Style`]; `wrap` keeps the tags and adds its
//! own decoration roles (bars, markers, borders); a front-end maps them to colours (`ansi` for
//! `folio cat`, the theme for the reading pane). Plain output ignores them.

/// The role of a span: one per kind of text a front-end may want to draw differently.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Role {
    /// Body text.
    #[default]
    Text,
    /// Heading text and its `#` marks, with the level (1–6).
    Heading(u8),
    /// A line of a code block.
    CodeBlock,
    /// The fence lines around a code block (```` ```lang ````).
    CodeFence,
    /// The `↪` that starts a code line continued from the line above.
    Continuation,
    /// The bar drawn left of every line of a block quote.
    QuoteBar,
    /// A list bullet, number or task box.
    ListMarker,
    /// Table borders and the `┊` that stands for indentation too deep to draw.
    Border,
    /// A thematic break (`---`).
    Rule,
    /// The article's metadata line (from `<!--yml … -->` or front matter).
    Metadata,
    /// A stand-in for something that has no text of its own: `[video]`, `[iframe]`.
    Placeholder,
    /// The `[image: alt]` label of an image.
    Image,
    /// A URL or path shown in the text: an image's path, a reference's target.
    Url,
    /// The `[n]` after a link's text that points at its numbered reference.
    LinkMark,
    /// The `[n]` that starts a numbered reference line.
    RefLabel,
    /// The `[^n]` of a footnote, where it is referred to and where it is defined.
    FootnoteMark,
}

/// How a span of text is to be shown: a role plus inline emphasis flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Style {
    /// What the text is.
    pub role: Role,
    /// Strong emphasis (`**bold**`, `<b>`).
    pub bold: bool,
    /// Emphasis (`*italic*`, `<em>`).
    pub italic: bool,
    /// Strikethrough (`~~gone~~`, `<del>`).
    pub strike: bool,
    /// Inline code (`` `code` ``).
    pub code: bool,
    /// The number of the link this text belongs to (`Layout::links[link - 1]`), 0 for none.
    pub link: u32,
}

impl Style {
    /// A style with this role and no flags.
    pub const fn role(role: Role) -> Style {
        Style {
            role,
            bold: false,
            italic: false,
            strike: false,
            code: false,
            link: 0,
        }
    }
}
