//! Spreadsheets as documents: xlsx, xls, xlsb and ods (through calamine) and csv. A sheet is
//! a page (the sheet's name is its first line), a row a line of tab-separated cells; a sheet
//! longer than [`super::MAX_PAGE_CHARS`] goes on over as many pages as it needs, each opening
//! with the sheet's name. Spreadsheets that are inventory lists keep that meaning
//! (`crate::inventory`): only the others become documents.

use std::io::Cursor;

use calamine::Reader;

use crate::error::{IndexerError, Result};
use woo_core::model::{ExtractedPage, ExtractedPdf, PdfInfo};

/// Most rows read of one sheet.
pub const MAX_ROWS_PER_SHEET: usize = 100_000;

/// Reads a workbook (xlsx, xls, xlsb, ods) into pages, one sheet after the other. calamine
/// can panic on hostile workbooks (see `crate::inventory`): a panic is this file's error.
pub fn read_workbook(name: &str, bytes: &[u8]) -> Result<ExtractedPdf> {
    let read = std::panic::catch_unwind(|| read_workbook_unguarded(name, bytes));
    match read {
        Ok(result) => result,
        Err(_) => Err(malformed(
            name,
            "the spreadsheet reader crashed on this workbook (damaged or hostile file)",
        )),
    }
}

fn read_workbook_unguarded(name: &str, bytes: &[u8]) -> Result<ExtractedPdf> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|error| malformed(name, &error.to_string()))?;
    let mut pages = Vec::new();
    for sheet in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&sheet)
            .map_err(|error| malformed(name, &format!("sheet {sheet:?}: {error}")))?;
        let rows: Vec<Vec<String>> = range
            .rows()
            .take(MAX_ROWS_PER_SHEET)
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        add_sheet_pages(&mut pages, &sheet, &rows);
    }
    if pages.is_empty() {
        pages.push(super::text_page(1, String::new()));
    }
    Ok(ExtractedPdf {
        info: PdfInfo::default(),
        pages,
        ..ExtractedPdf::default()
    })
}

/// Reads a csv file as one sheet.
pub fn read_csv_document(name: &str, bytes: &[u8]) -> Result<ExtractedPdf> {
    let mut rows = csv_rows(bytes).map_err(|reason| malformed(name, &reason))?;
    rows.truncate(MAX_ROWS_PER_SHEET);
    let mut pages = Vec::new();
    let sheet = std::path::Path::new(name)
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    add_sheet_pages(&mut pages, &sheet, &rows);
    if pages.is_empty() {
        pages.push(super::text_page(1, String::new()));
    }
    Ok(ExtractedPdf {
        pages,
        ..ExtractedPdf::default()
    })
}

/// The rows of a csv text: `;` or `,` separated (whichever the first line has more of),
/// quoted cells, rows of any length; UTF-8 with or without a byte-order mark (invalid bytes
/// replaced).
pub fn csv_rows(bytes: &[u8]) -> std::result::Result<Vec<Vec<String>>, String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let first_line = text.lines().next().unwrap_or_default();
    let separator = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(separator)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| error.to_string())?;
        rows.push(record.iter().map(str::to_string).collect());
    }
    Ok(rows)
}

/// A cell as text: dates as `YYYY-MM-DD`, whole numbers without `.0`.
fn cell_text(cell: &calamine::Data) -> String {
    match cell {
        calamine::Data::DateTime(date_time) => {
            woo_core::dates::excel_serial_to_iso(date_time.as_f64())
                .unwrap_or_else(|| date_time.as_f64().to_string())
        }
        calamine::Data::Float(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{number:.0}")
        }
        calamine::Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// The pages of one sheet: its name, then its non-empty rows, over as many pages as needed.
fn add_sheet_pages(pages: &mut Vec<ExtractedPage>, sheet: &str, rows: &[Vec<String>]) {
    let mut text = sheet.to_string();
    let mut rows_on_page = 0;
    for row in rows {
        let line = row
            .iter()
            .map(|cell| cell.replace(['\n', '\r', '\t'], " ").trim().to_string())
            .collect::<Vec<_>>()
            .join("\t");
        if line.trim().is_empty() {
            continue;
        }
        if rows_on_page > 0 && text.chars().count() + line.chars().count() > super::MAX_PAGE_CHARS {
            pages.push(super::text_page(pages.len() + 1, std::mem::take(&mut text)));
            text = sheet.to_string();
            rows_on_page = 0;
        }
        text.push('\n');
        text.push_str(line.trim_end());
        rows_on_page += 1;
    }
    if rows_on_page > 0 {
        pages.push(super::text_page(pages.len() + 1, text));
    }
}

fn malformed(name: &str, reason: &str) -> IndexerError {
    IndexerError::MalformedFile {
        name: name.to_string(),
        format: "spreadsheet",
        reason: reason.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_csv_sheet_is_pages_of_tab_separated_rows() {
        let csv = "nummer;onderwerp;bedrag\n1;\"Inkoop; mondkapjes\";1200\n\n2;Testen;300\n";
        let extracted = read_csv_document("begroting.csv", csv.as_bytes()).unwrap();
        assert_eq!(extracted.pages.len(), 1);
        assert_eq!(
            extracted.pages[0].text,
            "begroting\nnummer\tonderwerp\tbedrag\n1\tInkoop; mondkapjes\t1200\n2\tTesten\t300"
        );
    }

    #[test]
    fn long_sheets_go_on_over_pages_that_name_the_sheet() {
        let rows: Vec<Vec<String>> = (0..2_000)
            .map(|number| vec![format!("rij {number}"), "tekst".to_string()])
            .collect();
        let mut pages = Vec::new();
        add_sheet_pages(&mut pages, "Overzicht", &rows);
        assert!(pages.len() > 3);
        assert!(pages
            .iter()
            .all(|page| page.text.starts_with("Overzicht\n")));
        assert_eq!(pages.last().unwrap().page as usize, pages.len());
    }

    #[test]
    fn a_broken_workbook_is_malformed() {
        assert!(matches!(
            read_workbook("x.xlsx", b"PK\x03\x04garbage"),
            Err(IndexerError::MalformedFile { .. })
        ));
    }
}
