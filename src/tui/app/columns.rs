//! Which of the list's metadata columns (date, category) earn their space: a column whose
//! value is the same on (nearly) every row tells the rows nothing and takes the titles' room.
//!
//! "The same value" is the text the column shows: the day of the date (`2024-05-27`, the time
//! is not shown) and the category as written; an article without one counts as one more value
//! (its row shows nothing there). A column is dropped when one value holds at least
//! [`SAME_PER_MILLE`] of the articles: an archive under a hundred articles must agree
//! everywhere, a large one may have a few strays (the hackernews archive's 7,277 articles hold
//! `未分类` 7,236 times, and `Uncategorized`, `未` or nothing on the rest), which say no more
//! than the common value does.
//!
//! The decision is taken once, when indexing ends, over every article: while articles arrive
//! in batches the columns stay hidden, so that a column appears at most once (with the list's
//! final order) instead of coming and going as batches change the counts.

use crate::archive::article::Article;

/// Per mille of the articles that one value must hold for its column to be dropped.
pub const SAME_PER_MILLE: usize = 990;

/// The metadata columns the list shows (when the pane is wide enough).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Columns {
    /// The date column (the day).
    pub date: bool,
    /// The category column.
    pub category: bool,
}

impl Columns {
    /// The columns that tell `articles` apart.
    pub fn of(articles: &[Article]) -> Columns {
        Columns {
            date: tells_apart(articles, |a| a.date().map(day)),
            category: tells_apart(articles, |a| a.category()),
        }
    }
}

/// The day of a date as the list shows it (`2024-05-27T14:54:03` → `2024-05-27`).
pub fn day(date: &str) -> &str {
    date.get(..10).unwrap_or(date)
}

/// True unless one value of `value` holds at least [`SAME_PER_MILLE`] of `articles`.
fn tells_apart<'a>(
    articles: &'a [Article],
    value: impl Fn(&'a Article) -> Option<&'a str>,
) -> bool {
    // Only a value held by more than half the articles can reach the share: the majority
    // vote (Boyer and Moore) finds it in one pass without counting every value, a second
    // pass counts it.
    let mut candidate = None;
    let mut lead = 0usize;
    for article in articles {
        let v = value(article);
        if lead == 0 {
            candidate = v;
            lead = 1;
        } else if v == candidate {
            lead += 1;
        } else {
            lead -= 1;
        }
    }
    let held = articles.iter().filter(|a| value(a) == candidate).count();
    held * 1000 < articles.len() * SAME_PER_MILLE
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(date: Option<&str>, category: Option<&str>) -> Article {
        Article::new(crate::archive::article::Fields {
            path: "a.md",
            title: "a",
            date,
            category,
            ..Default::default()
        })
    }

    #[test]
    fn a_column_goes_when_one_value_holds_nearly_every_row() {
        let same = vec![article(Some("2024-05-27T14:54:03"), Some("未分类")); 5];
        assert_eq!(Columns::of(&same), Columns::default());
        // Another time of the same day is the same value: the list shows the day.
        let mut times = same.clone();
        times[2] = article(Some("2024-05-27T09:00:00"), Some("未分类"));
        assert!(!Columns::of(&times).date);
        // One other day among five, or one article without a category, tells rows apart.
        let mut days = same.clone();
        days[4] = article(Some("2024-05-29T00:00:00"), Some("未分类"));
        assert_eq!(
            Columns::of(&days),
            Columns {
                date: true,
                category: false
            }
        );
        let mut none = same.clone();
        none[0] = article(Some("2024-05-27T14:54:03"), None);
        assert!(Columns::of(&none).category);
        // Five strays among a thousand say no more than the common value.
        let mut many = vec![article(Some("2024-05-27"), Some("未分类")); 995];
        many.extend(vec![article(None, Some("Uncategorized")); 5]);
        assert_eq!(Columns::of(&many), Columns::default());
        // Two in a hundred do.
        let mut two = vec![article(Some("2024-05-27"), None); 98];
        two.extend(vec![article(Some("2024-05-28"), None); 2]);
        assert!(Columns::of(&two).date);
        assert_eq!(Columns::of(&[]), Columns::default());
    }
}
