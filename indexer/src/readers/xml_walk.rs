//! A bounded walk over an XML text for the readers: every start tag (local name and
//! attributes), every piece of text and every end tag, handed to a [`XmlVisitor`]. Namespace
//! prefixes are dropped (`w:p` is `p`); entities are unescaped; nesting deeper than
//! [`MAX_DEPTH`] is refused, as is broken XML.

use quick_xml::encoding::Decoder;
use quick_xml::events::{BytesStart, Event};

/// Deepest element nesting accepted.
pub const MAX_DEPTH: usize = 256;

/// What a reader does with the parts of an XML text.
pub trait XmlVisitor {
    /// A start tag (also called for an empty element, followed by [`XmlVisitor::end`]).
    fn start(&mut self, name: &str, attributes: &[(String, String)]);
    /// Text (or CDATA) inside the innermost open element.
    fn text(&mut self, text: &str);
    /// An end tag.
    fn end(&mut self, name: &str);
}

/// Walks `text`, calling `visitor`; an error says what is wrong and where.
pub fn walk_xml(text: &str, visitor: &mut dyn XmlVisitor) -> std::result::Result<(), String> {
    walk_xml_to_depth(text, MAX_DEPTH, visitor)
}

/// [`walk_xml`] refusing elements nested deeper than `max_depth`.
pub fn walk_xml_to_depth(
    text: &str,
    max_depth: usize,
    visitor: &mut dyn XmlVisitor,
) -> std::result::Result<(), String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|error| format!("xml error at byte {}: {error}", reader.buffer_position()))?;
        match event {
            Event::Start(start) => {
                depth += 1;
                if depth > max_depth {
                    return Err(format!("elements nested deeper than {max_depth}"));
                }
                visitor.start(&local_name(&start), &attributes(&start, reader.decoder()));
            }
            Event::Empty(start) => {
                let name = local_name(&start);
                visitor.start(&name, &attributes(&start, reader.decoder()));
                visitor.end(&name);
            }
            Event::Text(text) => {
                let value = text
                    .unescape()
                    .map(|value| value.into_owned())
                    .unwrap_or_else(|_| String::from_utf8_lossy(&text).into_owned());
                visitor.text(&value);
            }
            Event::CData(data) => visitor.text(&String::from_utf8_lossy(&data)),
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                let name = String::from_utf8_lossy(end.local_name().as_ref()).into_owned();
                visitor.end(&name);
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

fn local_name(start: &BytesStart) -> String {
    String::from_utf8_lossy(start.local_name().as_ref()).into_owned()
}

/// The attributes of a tag as (local name, unescaped value).
fn attributes(start: &BytesStart, decoder: Decoder) -> Vec<(String, String)> {
    start
        .attributes()
        .flatten()
        .map(|attribute| {
            let key = String::from_utf8_lossy(attribute.key.local_name().as_ref()).into_owned();
            let value = attribute
                .decode_and_unescape_value(decoder)
                .map(|value| value.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&attribute.value).into_owned());
            (key, value)
        })
        .collect()
}

/// The value of attribute `name` (local name), if present.
pub fn attribute<'a>(attributes: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attributes
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}
