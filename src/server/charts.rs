//! Horizontal bar charts computed server-side; the `chart.html` template draws them as
//! inline SVG (no script, escaped labels).

/// Width of the drawing area, in SVG user units.
const WIDTH: u32 = 640;
const LABEL_WIDTH: u32 = 250;
const VALUE_WIDTH: u32 = 120;
const ROW: u32 = 22;
/// Rows drawn at most; the largest values are kept.
pub const MAX_ROWS: usize = 20;

pub struct Chart {
    pub id: String,
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub rows: Vec<Bar>,
}

pub struct Bar {
    pub label: String,
    pub value_text: String,
    pub y: u32,
    pub text_y: u32,
    pub bar_x: u32,
    pub bar_width: u32,
    pub value_x: u32,
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
    let span = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
    let rows = data
        .into_iter()
        .enumerate()
        .map(|(i, d)| {
            let y = i as u32 * ROW;
            // At least one unit so a non-zero value stays visible.
            let bar_width = ((d.value as f64 / max as f64) * span as f64).round() as u32;
            let bar_width = if d.value > 0 { bar_width.max(1) } else { 0 };
            let mut label = d.label;
            if label.chars().count() > 38 {
                label = label.chars().take(37).collect::<String>() + "…";
            }
            Bar {
                label,
                value_text: d.value_text,
                y: y + 3,
                text_y: y + 15,
                bar_x: LABEL_WIDTH,
                bar_width,
                value_x: LABEL_WIDTH + bar_width + 6,
                href: d.href,
            }
        })
        .collect::<Vec<_>>();
    Chart {
        id: id.to_string(),
        title: title.to_string(),
        width: WIDTH,
        height: (rows.len() as u32 * ROW).max(ROW),
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_stay_visible() {
        let d = |v: u64| Datum { label: format!("{v}"), value: v, value_text: v.to_string(), href: None };
        let c = bar_chart("c", "t", vec![d(1000), d(1), d(0)]);
        assert_eq!(c.rows[0].bar_width, WIDTH - LABEL_WIDTH - VALUE_WIDTH);
        assert_eq!(c.rows[1].bar_width, 1);
        assert_eq!(c.rows[2].bar_width, 0);
        assert_eq!(c.height, 3 * ROW);
        assert!(bar_chart("c", "t", (0..50).map(d).collect()).rows.len() == MAX_ROWS);
        assert_eq!(bar_chart("c", "t", vec![]).height, ROW);
    }
}
