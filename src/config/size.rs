//! `max_file_size`: a byte count written as a number of bytes (`10485760`)
//! or with a binary unit (`"512KB"`, `"10MB"`, `"1GB"`; 1 KB = 1,024 bytes).

use serde::Deserialize;

/// The default limit: 10 MB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// A size in bytes, as the config file writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Written {
            Bytes(u64),
            Text(String),
        }
        match Written::deserialize(deserializer) {
            Ok(Written::Bytes(bytes)) => Ok(ByteSize(bytes)),
            Ok(Written::Text(text)) => parse(&text).map(ByteSize).map_err(serde::de::Error::custom),
            Err(_) => Err(serde::de::Error::custom(
                "expected a number of bytes or a size such as \"10MB\"",
            )),
        }
    }
}

/// Parses `123`, `512KB`, `10 MB`, `1GB` (case-insensitive; `K`/`M`/`G`
/// and `KiB`/`MiB`/`GiB` too).
pub fn parse(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let invalid = || format!("'{text}' is not a size (write bytes, or e.g. \"512KB\", \"10MB\")");
    let number: u64 = digits.parse().map_err(|_| invalid())?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(invalid()),
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("'{text}' is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse("123"), Ok(123));
        assert_eq!(parse("512KB"), Ok(512 * 1024));
        assert_eq!(parse("10 MB"), Ok(10 * 1024 * 1024));
        assert_eq!(parse("1gib"), Ok(1 << 30));
        assert!(parse("10 parsecs").is_err());
        assert!(parse("-1").is_err());
        assert!(parse("").is_err());
        assert!(parse("99999999999999GB").is_err());
    }
}
