//! The metadata block atop an article: `<!--yml … -->` or YAML front matter.
//!
//! Keys are English or Chinese, lines come as translation tools mangle them; the block gives
//! a title, a date, a category and tags.

use std::borrow::Cow;

/// Fields of a `<!--yml … -->` block or YAML front matter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Metadata {
    /// `title:` / `标题：`.
    pub title: Option<String>,
    /// ISO 8601 form of `date:` / `日期：` / `时间：`, or of a bare date line.
    pub date: Option<String>,
    /// `category:` / `类别：` / `分类：`, or a bare value that is not a date.
    pub category: Option<String>,
    /// `tags:` / `标签：` as a list, inline (`[a, b]`, `a, b`) or as `- a` lines.
    pub tags: Vec<String>,
}

/// Splits a leading metadata block (after blank lines) from the rest of the text.
///
/// `<!--yml` blocks are found as archives write them, escaped ones (`\<!--yml`, `-\>yml`)
/// included, and end at a `-->` line or at a mistyped `<!--` line.
pub fn split_metadata(text: &str) -> (Option<Metadata>, &str) {
    let start = text.len() - text.trim_start_matches(['\n', '\r', ' ', '\t']).len();
    // Back up to the start of the first non-blank line so indentation stays intact.
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let rest = &text[line_start..];
    let mut lines = rest.split_inclusive('\n');
    let first_line = lines.next().unwrap_or("");
    let opener = marker_line(first_line);
    let closers: &[&str] = if is_yml_opener(&opener) {
        &["-->", "->", "<!--"]
    } else if first_line.trim_end() == "---" {
        &["---", "..."]
    } else {
        return (None, text);
    };
    let body_start = first_line.len();
    let mut offset = body_start;
    for line in lines {
        // Every closer holds a `-` or a `.`: other lines need no closer reading.
        let may_close = line.bytes().any(|b| b == b'-' || b == b'.');
        if may_close && closers.contains(&&*marker_line(line)) {
            let inner = &rest[body_start..offset];
            return (
                Some(parse_metadata_lines(inner)),
                &rest[offset + line.len()..],
            );
        }
        if line.starts_with("# ") && opener != "---" {
            // A `<!--yml` block whose `-->` was lost: metadata lines never start with `# `,
            // so the title is here and the block ends before it.
            let inner = &rest[body_start..offset];
            return (Some(parse_metadata_lines(inner)), &rest[offset..]);
        }
        offset += line.len();
    }
    (None, text)
}

/// Whether a (marker) line opens a `<!--yml` block: `<!--yml`, `->yml` (an escaped `-\>yml`
/// read back), with or without spaces before `yml` (`<!-- yml`, as some archives write it).
fn is_yml_opener(line: &str) -> bool {
    ["<!--", "->"].iter().any(|start| {
        line.strip_prefix(start)
            .is_some_and(|rest| rest.trim_start() == "yml")
    })
}

/// A line of a metadata block as written, stripped of what translation tools wrap around it:
/// a list marker, backticks or quotes, backslash escapes, a trailing full stop.
fn marker_line(line: &str) -> Cow<'_, str> {
    let line = strip_list_marker(line.trim());
    let line = unquote(line)
        .trim_matches(['`', '"'])
        .trim_end_matches('。');
    if line.contains('\\') {
        Cow::Owned(line.replace('\\', ""))
    } else {
        Cow::Borrowed(line)
    }
}

/// Reads `key: value` lines (ASCII or full-width colon, English or Chinese keys, list markers
/// allowed) and bare values.
fn parse_metadata_lines(block: &str) -> Metadata {
    let mut meta = Metadata::default();
    let mut in_tags_list = false;
    for raw in block.lines() {
        let line = raw.trim();
        if line.is_empty() {
            continue;
        }
        let item = unquote(strip_list_marker(line));
        if in_tags_list && line.starts_with(['-', '*', '+']) && split_key(item).is_none() {
            meta.tags.push(unquote(item).to_string());
            continue;
        }
        in_tags_list = false;
        match split_key(item) {
            Some((key, value)) => {
                let value = unquote(value);
                match lower_case(key).as_ref() {
                    "title" | "标题" => set_once(&mut meta.title, value),
                    "date" | "日期" | "时间" | "发布日期" | "发布时间" | "created"
                    | "published"
                        if meta.date.is_none() =>
                    {
                        meta.date = iso_date(value);
                    }
                    "category" | "categories" | "类别" | "分类" => {
                        set_once(&mut meta.category, value)
                    }
                    "tags" | "tag" | "标签" | "keywords" => {
                        if value.is_empty() {
                            in_tags_list = true;
                        } else {
                            meta.tags.extend(split_tags(value));
                        }
                    }
                    _ => {}
                }
            }
            None => {
                // A bare value: a date if it reads as one, else a short one is the category.
                let value = unquote(item);
                if let Some(date) = iso_date(value) {
                    meta.date.get_or_insert(date);
                } else if value.chars().count() <= 16 && !value.contains(['。', '，', '.', ',']) {
                    set_once(&mut meta.category, value);
                }
            }
        }
    }
    meta
}

/// `key` in lower case, copied only when it holds an upper-case letter (keys are nearly always
/// written in lower case, or in Chinese).
fn lower_case(key: &str) -> Cow<'_, str> {
    if key.chars().any(char::is_uppercase) {
        Cow::Owned(key.to_lowercase())
    } else {
        Cow::Borrowed(key)
    }
}

fn set_once(slot: &mut Option<String>, value: &str) {
    if slot.is_none() && !value.is_empty() {
        *slot = Some(value.to_string());
    }
}

fn strip_list_marker(line: &str) -> &str {
    for marker in ["- ", "* ", "+ "] {
        if let Some(rest) = line.strip_prefix(marker) {
            return rest.trim_start();
        }
    }
    line
}

/// `key: value` with an ASCII or full-width colon; keys are short words without spaces, so a
/// bare value such as `2024-05-27 14:59:45` is not mistaken for a key.
fn split_key(line: &str) -> Option<(&str, &str)> {
    // The first colon, ASCII or full-width (`：` is EF BC 9A), in one pass over the bytes.
    let bytes = line.as_bytes();
    let (pos, colon_len) = memchr::memchr2_iter(b':', 0xEF, bytes).find_map(|at| {
        if bytes[at] == b':' {
            Some((at, 1))
        } else {
            bytes[at..]
                .starts_with("：".as_bytes())
                .then_some((at, "：".len()))
        }
    })?;
    // `date   日期：…` happens: the key is the last word before the colon.
    let mut words = 0;
    let mut key = None;
    for word in line[..pos].split_whitespace() {
        let is_word = word
            .chars()
            .all(|c| c.is_alphabetic() || c == '_' || c == '-');
        words += 1;
        if !is_word || words > 3 {
            return None;
        }
        key = Some(word);
    }
    let key = key.filter(|key| key.chars().count() <= 20)?;
    Some((key, line[pos + colon_len..].trim()))
}

/// A value without its quotes and the full stop some archives end it with.
fn unquote(value: &str) -> &str {
    let v = value.trim();
    let v = if v.ends_with('。') {
        v.trim_end_matches('。')
    } else {
        v
    };
    // Nearly every value starts with none of the quotes (`“` starts with 0xE2): no pattern
    // search is started for them (every metadata line of every head is unquoted).
    if !matches!(v.as_bytes().first(), Some(b'"' | b'\'' | b'`' | 0xE2)) {
        return v;
    }
    for (open, close) in [('"', '"'), ('\'', '\''), ('“', '”'), ('`', '`')] {
        if let Some(inner) = v.strip_prefix(open).and_then(|s| s.strip_suffix(close)) {
            return inner.trim().trim_end_matches('。');
        }
    }
    v
}

fn split_tags(value: &str) -> Vec<String> {
    let inner = value
        .strip_prefix('[')
        .and_then(|s| s.strip_suffix(']'))
        .unwrap_or(value);
    inner
        .split([',', '，', '、'])
        .map(unquote)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// Reads a date in any of the forms archives use and gives it as ISO 8601:
/// `2024-05-27 14:23:32`, `2024 年 05 月 27 日 14:54:03`, `2024年5月27日14:54:03`,
/// `2024 年 05 月 27 日 15 时 12 分 54 秒`, `2024/5/27`, `2024-05-27T14:23:32`.
/// A date alone stays a date (`2024-05-27`); hours and minutes alone get `:00` seconds.
pub fn iso_date(text: &str) -> Option<String> {
    let text = text.trim();
    // Up to six numbers: year, month, day, hours, minutes, seconds.
    let mut numbers = [0u32; 6];
    let mut count = 0;
    let mut current: Option<u32> = None;
    for c in text.chars() {
        if let Some(d) = c.to_digit(10) {
            current = Some(current.unwrap_or(0).checked_mul(10)?.checked_add(d)?);
            continue;
        }
        if let Some(n) = current.take() {
            *numbers.get_mut(count)? = n;
            count += 1;
        }
        let separator = matches!(
            c,
            '-' | '/'
                | '.'
                | ':'
                | ' '
                | 'T'
                | '年'
                | '月'
                | '日'
                | '时'
                | '分'
                | '秒'
                | '：'
                | ','
                | '，'
                | '。'
                | '点'
        );
        if !separator {
            return None;
        }
    }
    if let Some(n) = current {
        *numbers.get_mut(count)? = n;
        count += 1;
    }
    let [y, mo, d, h, mi, s] = numbers;
    let valid_day =
        count >= 3 && (1000..=9999).contains(&y) && (1..=12).contains(&mo) && (1..=31).contains(&d);
    let fields: &[u32] = match count {
        3 if valid_day => &[y, mo, d],
        5 if valid_day && h < 24 && mi < 60 => &[y, mo, d, h, mi, 0],
        6 if valid_day && h < 24 && mi < 60 && s < 61 => &[y, mo, d, h, mi, s],
        _ => return None,
    };
    // `2024-05-27T14:54:03`, written digit by digit rather than with `format!`: every dated
    // head comes through here.
    let mut iso = String::with_capacity(19);
    for (i, &field) in fields.iter().enumerate() {
        iso.push_str(["", "-", "-", "T", ":", ":"][i]);
        let width = if i == 0 { 4 } else { 2 };
        for place in (0..width).rev() {
            iso.push(char::from(b'0' + (field / 10u32.pow(place) % 10) as u8));
        }
    }
    Some(iso)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_every_written_form() {
        for written in [
            "2024-05-27 14:54:03",
            "2024 年 05 月 27 日 14:54:03",
            "2024年5月27日 14:54:03",
            "2024年5月27日14:54:03",
            "2024 年 05 月 27 日 14 时 54 分 03 秒",
            "2024-05-27T14:54:03",
            "2024/5/27 14:54:03",
        ] {
            assert_eq!(
                iso_date(written).as_deref(),
                Some("2024-05-27T14:54:03"),
                "{written}"
            );
        }
        assert_eq!(iso_date("2024-05-27").as_deref(), Some("2024-05-27"));
        assert_eq!(
            iso_date("2024-05-27 14:54").as_deref(),
            Some("2024-05-27T14:54:00")
        );
        assert_eq!(iso_date("未分类"), None);
        assert_eq!(iso_date("2024-13-01"), None);
        assert_eq!(iso_date("99999999999999999999"), None);
    }
}
