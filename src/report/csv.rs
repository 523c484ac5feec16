//! `--format csv`: a header row and one row per violation (RFC 4180: CRLF
//! line ends; a field with a comma, quote, CR or LF is quoted, quotes doubled).
//! A path or function name a spreadsheet would read as a formula is
//! prefixed with `'` ([`super::escape::csv_cell`]).
//!
//! Values are written in full precision; `change` is empty outside diff
//! mode and `fails` says whether the row fails the run under `--fail-on`.

use super::escape::csv_cell;
use super::Report;

const HEADER: [&str; 11] = [
    "path",
    "line",
    "end_line",
    "column",
    "function",
    "metric",
    "value",
    "threshold",
    "comparison",
    "change",
    "fails",
];

/// Renders the table.
pub fn render(report: &Report) -> String {
    let mut out = header();
    out.push_str(&rows(report));
    out
}

/// The header row.
pub fn header() -> String {
    let mut out = String::new();
    row(&mut out, HEADER.map(str::to_owned));
    out
}

/// One row per violation (streamed output renders one file at a time).
pub fn rows(report: &Report) -> String {
    let mut out = String::new();
    for v in report.violations {
        let end_line = report
            .function_of(v)
            .map(|(unit, _)| unit.span.end_line.to_string())
            .unwrap_or_default();
        row(
            &mut out,
            [
                csv_cell(&v.path).into_owned(),
                v.line.to_string(),
                end_line,
                v.column.to_string(),
                csv_cell(v.function.as_deref().unwrap_or_default()).into_owned(),
                v.metric.name().to_owned(),
                v.value.to_string(),
                v.threshold.to_string(),
                v.comparison.symbol().to_owned(),
                v.change.map(|c| c.name()).unwrap_or_default().to_owned(),
                report.fails(v).to_string(),
            ],
        );
    }
    out
}

fn row(out: &mut String, fields: [String; HEADER.len()]) {
    let fields: Vec<String> = fields.iter().map(|field| quote(field)).collect();
    out.push_str(&fields.join(","));
    out.push_str("\r\n");
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture;
    use super::*;

    #[test]
    fn check_report_rows() {
        let fixture = fixture::check();
        assert_eq!(
            render(&fixture.report()),
            "path,line,end_line,column,function,metric,value,threshold,comparison,change,fails\r\n\
             pkg/a.py,1,,1,,maintainability_index,48.456,50,>=,,true\r\n\
             pkg/a.py,12,30,5,Parser.parse,cyclomatic_complexity,14,10,<=,,true\r\n\
             \"odd, 100%: \"\"q\"\".py\",1,3,1,f,cyclomatic_complexity,12,10,<=,,true\r\n"
        );
    }

    #[test]
    fn diff_report_rows_carry_change_and_verdict() {
        let fixture = fixture::diff();
        let text = render(&fixture.report());
        let rows: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            rows[1..],
            [
                "pkg/a.py,12,30,5,Parser.parse,cyclomatic_complexity,14,10,<=,worsened,true",
                "pkg/new.py,1,9,1,fresh,cyclomatic_complexity,12,10,<=,new,true",
                "pkg/old.py,3,40,1,legacy,cyclomatic_complexity,20,10,<=,existing,false",
                "",
            ]
        );
    }

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(quote("plain"), "plain");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(quote("two\r\nlines"), "\"two\r\nlines\"");
    }
}
