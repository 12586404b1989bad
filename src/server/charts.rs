//! Horizontal bar charts computed server-side. The `stats.html` template draws each row as
//! HTML text (its label wraps and keeps the page's font size at any width) beside a bar drawn
//! as a one-rectangle SVG: no script, no inline style, escaped labels.

/// The bar's length is a share of this many SVG units (the bar's `viewBox` width).
pub const SCALE: u32 = 100;
/// Rows drawn at most; the largest values are kept.
pub const MAX_ROWS: usize = 20;

pub struct Chart {
    pub id: String,
    pub title: String,
    pub rows: Vec<Bar>,
}

pub struct Bar {
    pub label: String,
    pub value_text: String,
    /// Length in units of [`SCALE`].
    pub width: u32,
    pub href: Option<String>,
}

/// One row to draw: label, value, the value as shown, and an optional link.
pub struct Datum {
    pub label: String,
    pub value: u64,
    pub value_text: String,
    pub href: Option<String>,
}

pub fn bar_chart(id: &str, title: &str, data: Vec<Datum>) -> Chart {
    let data: Vec<Datum> = data.into_iter().take(MAX_ROWS).collect();
    let max = data.iter().map(|d| d.value).max().unwrap_or(0).max(1);
    let rows = data
        .into_iter()
        .map(|d| {
            let width = ((d.value as f64 / max as f64) * SCALE as f64).round() as u32;
            // At least one unit so a non-zero value stays visible.
            let width = if d.value > 0 { width.max(1) } else { 0 };
            Bar { label: d.label, value_text: d.value_text, width, href: d.href }
        })
        .collect();
    Chart { id: id.to_string(), title: title.to_string(), rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_stay_visible() {
        let d = |v: u64| Datum { label: format!("{v}"), value: v, value_text: v.to_string(), href: None };
        let c = bar_chart("c", "t", vec![d(1000), d(1), d(0)]);
        assert_eq!(c.rows.iter().map(|b| b.width).collect::<Vec<_>>(), [SCALE, 1, 0]);
        assert!(bar_chart("c", "t", (0..50).map(d).collect()).rows.len() == MAX_ROWS);
        let long = "Postal and Electronic Communications Code, Art. L34-5".to_string();
        let c = bar_chart("c", "t", vec![Datum { label: long.clone(), value: 1, value_text: "1".into(), href: None }]);
        assert_eq!(c.rows[0].label, long, "labels are never cut");
    }
}
