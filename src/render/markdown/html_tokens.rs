//! Just enough HTML for `raw_html`: split raw HTML into tags, comments and text, decode entities.
//!
//! Articles carry inline and block HTML (`<mdspan>`, `<details>`, `<table>`, `<mpvideosnap>`).
//! folio shows its text and drops its tags; this module only tokenizes, forgivingly: anything
//! that is not a well-formed tag is text, so no character of the article is lost here.

use std::borrow::Cow;

/// One piece of raw HTML.
#[derive(Debug, PartialEq, Eq)]
pub enum Token<'a> {
    /// Text between tags, entities not yet decoded.
    Text(&'a str),
    /// An opening (or self-closing) tag: lower-case name and attributes (values decoded).
    Open {
        /// The tag name, lower-cased.
        name: String,
        /// Attribute names (lower-cased) and values.
        attrs: Vec<(String, String)>,
    },
    /// A closing tag's lower-case name.
    Close(String),
    /// The inside of a `<!-- … -->` comment (also `<!…>` and `<?…>` declarations).
    Comment(&'a str),
}

/// Split raw HTML into tokens. Never fails: what does not parse as a tag is text.
pub fn tokens(html: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if let Some((token, end)) = tag_at(html, i) {
            if text_start < i {
                out.push(Token::Text(&html[text_start..i]));
            }
            // The text of a raw-text element is not HTML: it runs to the closing tag.
            let raw = match &token {
                Token::Open { name, .. }
                    if matches!(name.as_str(), "script" | "style" | "textarea") =>
                {
                    Some(format!("</{name}"))
                }
                _ => None,
            };
            out.push(token);
            i = end;
            text_start = end;
            if let Some(close) = raw {
                let stop = find_ascii_ci(&html[end..], &close).map_or(html.len(), |p| end + p);
                if stop > end {
                    out.push(Token::Text(&html[end..stop]));
                }
                i = stop;
                text_start = stop;
            }
        } else {
            i += 1;
        }
    }
    if text_start < html.len() {
        out.push(Token::Text(&html[text_start..]));
    }
    out
}

/// Where `needle` (ASCII) first occurs in `hay`, ignoring ASCII case.
fn find_ascii_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

/// The token starting with the `<` at `start`, and the byte just after it.
fn tag_at(html: &str, start: usize) -> Option<(Token<'_>, usize)> {
    let rest = &html[start..];
    if let Some(body) = rest.strip_prefix("<!--") {
        return Some(match body.find("-->") {
            Some(e) => (Token::Comment(&body[..e]), start + 4 + e + 3),
            None => (Token::Comment(body), html.len()),
        });
    }
    let b = rest.as_bytes();
    let second = *b.get(1)?;
    if second == b'!' || second == b'?' {
        let end = rest.find('>')?;
        return Some((Token::Comment(&rest[2..end]), start + end + 1));
    }
    let closing = second == b'/';
    let name_start = if closing { 2 } else { 1 };
    if !b.get(name_start)?.is_ascii_alphabetic() {
        return None;
    }
    let mut j = name_start;
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
        j += 1;
    }
    let name = rest[name_start..j].to_ascii_lowercase();
    // Find the closing '>' outside quotes.
    let mut quote = 0u8;
    let mut k = j;
    while k < b.len() {
        let c = b[k];
        if quote != 0 {
            if c == quote {
                quote = 0;
            }
        } else if c == b'"' || c == b'\'' {
            quote = c;
        } else if c == b'>' {
            break;
        } else if c == b'<' {
            return None;
        }
        k += 1;
    }
    if k >= b.len() {
        return None;
    }
    let end = start + k + 1;
    if closing {
        return Some((Token::Close(name), end));
    }
    let attrs = parse_attrs(&rest[j..k]);
    Some((Token::Open { name, attrs }, end))
}

/// Attributes of a tag body such as ` class="a" data-x='b' hidden /`.
fn parse_attrs(s: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'=' && b[i] != b'/' {
            i += 1;
        }
        if name_start == i {
            i += 1;
            continue;
        }
        let name = s[name_start..i].to_ascii_lowercase();
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value = String::new();
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                let q = b[i];
                let v_start = i + 1;
                i = v_start;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                value = decode_entities(&s[v_start..i]).into_owned();
                i += 1;
            } else {
                let v_start = i;
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = decode_entities(&s[v_start..i]).into_owned();
            }
        }
        out.push((name, value));
    }
    out
}

/// The value of attribute `name` among `attrs`, if present and not blank.
pub fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, v)| n == name && !v.trim().is_empty())
        .map(|(_, v)| v.as_str())
}

/// Decode HTML character references (`&amp;`, `&#20013;`, `&#x4E2D;` and the common named
/// ones). Unknown or malformed references stay as they are.
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        match decode_one(rest) {
            Some((decoded, len)) => {
                out.push_str(decoded.as_str());
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Decode the reference at the start of `s` (which starts with `&`): text and bytes consumed.
fn decode_one(s: &str) -> Option<(String, usize)> {
    let semi = s.bytes().take(40).position(|b| b == b';')?;
    let body = &s[1..semi];
    let c = if let Some(num) = body.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        match char::from_u32(code) {
            Some('\0') | None => '\u{FFFD}',
            Some(c) => c,
        }
    } else {
        named_entity(body)?
    };
    Some((c.to_string(), semi + 1))
}

/// The common named references met in articles.
fn named_entity(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{00A0}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwsp" => '\u{200B}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "ldquo" => '“',
        "rdquo" => '”',
        "lsquo" => '‘',
        "rsquo" => '’',
        "laquo" => '«',
        "raquo" => '»',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "divide" => '÷',
        "deg" => '°',
        "plusmn" => '±',
        "yen" => '¥',
        "euro" => '€',
        "pound" => '£',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "harr" => '↔',
        "le" => '≤',
        "ge" => '≥',
        "ne" => '≠',
        "shy" => '\u{00AD}',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_text_and_comments() {
        let t = tokens(r#"<mdspan datatext="el1" class='c'>人工智能</mdspan>x<br/>y<!-- no -->"#);
        assert_eq!(
            t[0],
            Token::Open {
                name: "mdspan".into(),
                attrs: vec![
                    ("datatext".into(), "el1".into()),
                    ("class".into(), "c".into())
                ]
            }
        );
        assert_eq!(t[1], Token::Text("人工智能"));
        assert_eq!(t[2], Token::Close("mdspan".into()));
        assert_eq!(t[3], Token::Text("x"));
        assert!(matches!(&t[4], Token::Open { name, .. } if name == "br"));
        assert_eq!(t[5], Token::Text("y"));
        assert_eq!(t[6], Token::Comment(" no "));
    }

    #[test]
    fn what_is_not_a_tag_is_text() {
        assert_eq!(tokens("a < b > c"), vec![Token::Text("a < b > c")]);
        assert_eq!(tokens("<中文>"), vec![Token::Text("<中文>")]);
        assert_eq!(tokens("x <a href=\"y"), vec![Token::Text("x <a href=\"y")]);
    }

    #[test]
    fn unterminated_comment_runs_to_the_end() {
        assert_eq!(
            tokens("a<!--yml\nk: v"),
            vec![Token::Text("a"), Token::Comment("yml\nk: v")]
        );
    }

    #[test]
    fn script_text_is_not_parsed() {
        let t = tokens("<script>if (a<b && c>d) {}</SCRIPT>x");
        assert_eq!(t[1], Token::Text("if (a<b && c>d) {}"));
        assert_eq!(t[2], Token::Close("script".into()));
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("a &amp; b &lt;c&gt; &#20013;&#x6587; &hellip; &bogus; &"),
            "a & b <c> 中文 … &bogus; &"
        );
        assert_eq!(decode_entities("&#0;&#xFFFFFF;"), "\u{FFFD}\u{FFFD}");
        let long = format!("&x{}", "一".repeat(20));
        assert_eq!(decode_entities(&long), long);
    }
}
