//! Zip archives (`.zip`, e.g. a whole Woo request as one download): every member a reader
//! takes is read by its own format and becomes a document of its own, linked to the archive
//! ([`super::read_attachments`]); archives inside archives are read down to
//! [`super::MAX_NESTING`]. The archive's own page lists its members. The bounds are the admin
//! upload's ([`super::container`]: entries, sizes, compression ratio), and a member whose name
//! leaves the archive (`../`, an absolute path) is not read.

use super::container::{member_names, open_container, read_member};
use crate::error::Result;
use crate::pdf::PdfLimits;
use woo_core::model::{ExtractedPdf, PdfInfo};

/// Largest total of member bytes read from one archive.
pub const MAX_ARCHIVE_MEMBER_BYTES: u64 = 1024 * 1024 * 1024;

/// Reads an archive's members; `depth` is how deep it sits inside other files.
pub fn read_archive(
    name: &str,
    bytes: &[u8],
    limits: &PdfLimits,
    depth: usize,
) -> Result<ExtractedPdf> {
    let mut archive = open_container(name, "zip", bytes)?;
    let names = member_names(&archive);
    let mut members = Vec::new();
    let mut listing = format!("Archief met {} bestanden:", names.len());
    let mut total: u64 = 0;
    for member in &names {
        listing.push('\n');
        listing.push_str(member);
        if !is_safe_member_name(member) || super::Format::of_name(member).is_none() {
            continue;
        }
        let Some(member_bytes) = read_member(&mut archive, name, "zip", member)? else {
            continue;
        };
        total += member_bytes.len() as u64;
        if total > MAX_ARCHIVE_MEMBER_BYTES {
            return Err(crate::error::IndexerError::Limit {
                name: name.to_string(),
                reason: format!(
                    "the archive unpacks to more than {MAX_ARCHIVE_MEMBER_BYTES} bytes"
                ),
            });
        }
        members.push((member.clone(), member_bytes));
    }
    Ok(ExtractedPdf {
        info: PdfInfo::default(),
        pages: super::pages_from_paragraphs(&[Some(listing)]),
        attachments: super::read_attachments(&members, limits, depth),
        ..ExtractedPdf::default()
    })
}

/// A member name that stays inside the archive: relative, `/`-separated, no `..`, `.` or
/// empty components, no backslash, colon or NUL.
pub fn is_safe_member_name(name: &str) -> bool {
    if name.is_empty() || name.starts_with('/') || name.contains(['\\', ':', '\0']) {
        return false;
    }
    name.split('/')
        .all(|component| !component.is_empty() && component != "." && component != "..")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, bytes) in entries {
            writer.start_file(*name, options).unwrap();
            writer.write_all(bytes).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn members_are_read_by_their_format_and_nested_archives_too() {
        let inner = zip_of(&[("diep/notitie.md", b"# Diepe notitie\n\nstikstof")]);
        let outer = zip_of(&[
            ("verzoek/brief.txt", b"Brief over stikstofdepositie"),
            ("verzoek/plaatje.bmp", b"BM...."),
            ("../ontsnapt.txt", b"mag niet"),
            ("bijlagen.zip", &inner),
        ]);
        let extracted = read_archive("woo-verzoek.zip", &outer, &PdfLimits::default(), 0).unwrap();
        assert!(extracted.pages[0]
            .text
            .starts_with("Archief met 4 bestanden:"));
        let names: Vec<&str> = extracted
            .attachments
            .iter()
            .map(|a| a.name.as_str())
            .collect();
        assert_eq!(names, vec!["verzoek/brief.txt", "bijlagen.zip"]);
        let nested = extracted.attachments[1].extraction.as_ref().unwrap();
        assert_eq!(nested.attachments[0].name, "diep/notitie.md");
        assert!(nested.attachments[0].extraction.as_ref().unwrap().pages[0]
            .text
            .contains("stikstof"));
    }

    #[test]
    fn archives_nested_too_deep_are_listed_not_read() {
        let mut archive = zip_of(&[("a.txt", b"kern")]);
        for _ in 0..(super::super::MAX_NESTING + 2) {
            archive = zip_of(&[("binnen.zip", &archive)]);
        }
        let mut extracted = read_archive("diep.zip", &archive, &PdfLimits::default(), 0).unwrap();
        let mut depth = 0;
        while let Some(attachment) = extracted.attachments.first().cloned() {
            let Some(inner) = attachment.extraction else {
                assert!(attachment.error.unwrap().contains("nested"));
                break;
            };
            extracted = inner;
            depth += 1;
        }
        assert!(depth <= super::super::MAX_NESTING);
    }
}
