//! Zip containers (docx, xlsx, odt, ods, zip archives): opened with the same bounds as an
//! admin upload, so a hostile container cannot make a reader unpack more than it may.
//!
//! At most [`MAX_ENTRIES`] entries; a member is read to at most [`MAX_MEMBER_BYTES`] and never
//! past its declared size; a member over [`RATIO_CHECK_FROM_BYTES`] that compresses more than
//! [`MAX_RATIO`]:1 is refused (a zip bomb).

use std::io::{Cursor, Read};

use crate::error::{IndexerError, Result};

/// Most entries in a container.
pub const MAX_ENTRIES: usize = 10_000;
/// Largest member read, uncompressed.
pub const MAX_MEMBER_BYTES: u64 = 256 * 1024 * 1024;
/// Largest compression ratio of one member (checked from [`RATIO_CHECK_FROM_BYTES`]).
pub const MAX_RATIO: u64 = 200;
/// Members smaller than this are not ratio-checked (XML compresses very well).
pub const RATIO_CHECK_FROM_BYTES: u64 = 1024 * 1024;

/// An open zip container.
pub type Container<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Opens `bytes` as a zip container of `format`, checking its entry count.
pub fn open_container<'a>(
    name: &str,
    format: &'static str,
    bytes: &'a [u8],
) -> Result<Container<'a>> {
    let archive =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|error| IndexerError::MalformedFile {
            name: name.to_string(),
            format,
            reason: format!("not a zip container: {error}"),
        })?;
    if archive.len() > MAX_ENTRIES {
        return Err(IndexerError::Limit {
            name: name.to_string(),
            reason: format!(
                "{} entries in the container, more than {MAX_ENTRIES}",
                archive.len()
            ),
        });
    }
    Ok(archive)
}

/// The names of the container's file members, in order.
pub fn member_names(archive: &Container) -> Vec<String> {
    archive
        .file_names()
        .flatten()
        .filter(|name| !name.ends_with('/'))
        .map(|name| name.into_owned())
        .collect()
}

/// Reads member `member` within the bounds; `Ok(None)` when the container has no such member.
pub fn read_member(
    archive: &mut Container,
    name: &str,
    format: &'static str,
    member: &str,
) -> Result<Option<Vec<u8>>> {
    let entry = match archive.by_name(member) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(error) => {
            return Err(IndexerError::MalformedFile {
                name: name.to_string(),
                format,
                reason: format!("{member}: {error}"),
            })
        }
    };
    let declared = entry.size();
    if declared > MAX_MEMBER_BYTES {
        return Err(IndexerError::Limit {
            name: name.to_string(),
            reason: format!("{member} unpacks to {declared} bytes, more than {MAX_MEMBER_BYTES}"),
        });
    }
    if declared > RATIO_CHECK_FROM_BYTES
        && declared > entry.compressed_size().saturating_mul(MAX_RATIO)
    {
        return Err(IndexerError::Limit {
            name: name.to_string(),
            reason: format!("{member} compresses more than {MAX_RATIO}:1 (a zip bomb?)"),
        });
    }
    let mut bytes = Vec::new();
    entry
        .take(declared.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|error| IndexerError::MalformedFile {
            name: name.to_string(),
            format,
            reason: format!("{member}: cannot unpack: {error}"),
        })?;
    if bytes.len() as u64 > declared {
        return Err(IndexerError::MalformedFile {
            name: name.to_string(),
            format,
            reason: format!("{member} unpacks to more than its declared {declared} bytes"),
        });
    }
    Ok(Some(bytes))
}

/// A member's bytes as UTF-8 text (XML members of office files are UTF-8).
pub fn member_text(
    name: &str,
    format: &'static str,
    member: &str,
    bytes: Vec<u8>,
) -> Result<String> {
    String::from_utf8(bytes).map_err(|_| IndexerError::MalformedFile {
        name: name.to_string(),
        format,
        reason: format!("{member} is not UTF-8"),
    })
}
