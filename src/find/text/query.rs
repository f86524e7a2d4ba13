//! A `folio search` query read into terms: words separated by spaces must all occur,
//! `"a phrase"` keeps its spaces, `-term` (or `-"a phrase"`) excludes the articles holding it.

use crate::find::text::fold;

/// One term of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The term as typed, quotes and `-` removed.
    pub text: String,
    /// The term folded ([`fold::fold`]): what is looked for in the folded text.
    pub folded: String,
    /// True for `-term`: articles holding it are left out.
    pub exclude: bool,
    /// True when no character of the term has another case: it can be looked for in the text
    /// as written, without folding the text.
    pub caseless: bool,
    /// True when every character of the folded term is ASCII or caseless: where the text holds
    /// no character that folds to ASCII from outside it ([`fold::folds_into_ascii`]), the term
    /// can be looked for in the text with only its ASCII letters folded.
    pub ascii_folded: bool,
}

impl Term {
    fn new(text: String, exclude: bool) -> Term {
        let folded = fold::fold(&text);
        Term {
            caseless: text.chars().all(fold::is_caseless),
            ascii_folded: folded.chars().all(|c| c.is_ascii() || fold::is_caseless(c)),
            folded,
            text,
            exclude,
        }
    }
}

/// A parsed query: its terms in the order typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Every term, the excluded ones included.
    pub terms: Vec<Term>,
}

impl Query {
    /// Reads `query`; an error when it holds no term at all.
    pub fn parse(query: &str) -> Result<Query, String> {
        let mut terms = Vec::new();
        let mut chars = query.chars().peekable();
        loop {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            let Some(&first) = chars.peek() else { break };
            let mut exclude = false;
            if first == '-' {
                chars.next();
                match chars.peek() {
                    Some(c) if !c.is_whitespace() => exclude = true,
                    // A lone `-` is looked for as it is.
                    _ => {
                        terms.push(Term::new("-".into(), false));
                        continue;
                    }
                }
            }
            let mut text = String::new();
            if chars.next_if_eq(&'"').is_some() {
                // A phrase runs to the closing quote, or to the end of an unclosed one.
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    text.push(c);
                }
            } else {
                while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                    text.push(c);
                }
            }
            // A line break can never be inside a match, which stays within one line.
            if !text.is_empty() && !text.contains('\n') {
                terms.push(Term::new(text, exclude));
            }
        }
        if terms.is_empty() {
            return Err(format!("no term to search for in {query:?}"));
        }
        Ok(Query { terms })
    }

    /// The terms that must occur.
    pub fn wanted(&self) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(|t| !t.exclude)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(query: &str) -> Vec<String> {
        Query::parse(query)
            .unwrap()
            .terms
            .iter()
            .map(|t| format!("{}{}", if t.exclude { "-" } else { "" }, t.text))
            .collect()
    }

    #[test]
    fn terms_phrases_and_exclusions() {
        assert_eq!(shown("Rust 内存"), ["Rust", "内存"]);
        assert_eq!(shown(r#""a phrase"  x"#), ["a phrase", "x"]);
        assert_eq!(
            shown(r#"rust -go -"big data""#),
            ["rust", "-go", "-big data"]
        );
        assert_eq!(shown(r#"- x"#), ["-", "x"]);
        assert_eq!(shown(r#""unclosed phrase"#), ["unclosed phrase"]);
        assert_eq!(shown("a-b"), ["a-b"]);
        assert!(Query::parse("  ").is_err());
        assert!(Query::parse(r#""""#).is_err());
        let term = &Query::parse("eBPF").unwrap().terms[0];
        assert_eq!(term.folded, "EBPF");
        assert!(!term.caseless);
        assert!(Query::parse("容器").unwrap().terms[0].caseless);
    }
}
