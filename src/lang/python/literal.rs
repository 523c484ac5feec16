//! Python constant values of literal nodes, compared the way Python's `==` does.
//!
//! radon's Halstead operand set holds constant *values*: `1`, `1.0`, `True`
//! and `1+0j` are one operand, `'x'` equals the name `x`, `0x10 == 16`. This
//! module turns literal source text into a canonical key with that equality.

use std::fmt::Write as _;

/// A real number in canonical form: integral values (from ints, floats or
/// bools) are exact integers, so `1 == 1.0 == True` compare equal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Real {
    /// An exact integer: sign and lowercase hexadecimal magnitude.
    Int { negative: bool, hex: String },
    /// A finite non-integral float, by its bits.
    Float(u64),
    /// Positive or negative infinity.
    Infinity { negative: bool },
}

/// A number literal's value as Python's numeric tower compares it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Number {
    pub real: Real,
    pub imag: Real,
}

impl Real {
    fn zero() -> Self {
        Real::Int {
            negative: false,
            hex: "0".to_owned(),
        }
    }

    fn from_f64(value: f64) -> Self {
        if value.is_infinite() {
            return Real::Infinity {
                negative: value < 0.0,
            };
        }
        if value.fract() != 0.0 || value.is_nan() {
            return Real::Float(value.to_bits());
        }
        if value == 0.0 {
            return Real::zero();
        }
        // An integral float: mantissa · 2^exponent, written exactly in hex.
        let bits = value.to_bits();
        let exponent = ((bits >> 52) & 0x7ff) as i64 - 1075;
        let mantissa = (bits & ((1u64 << 52) - 1)) | (1u64 << 52);
        let mut limbs = vec![mantissa as u32, (mantissa >> 32) as u32];
        if exponent >= 0 {
            shift_left(&mut limbs, exponent as u32);
        } else {
            // Integral, so the low bits shifted out are zero.
            let shifted = mantissa >> (-exponent) as u32;
            limbs = vec![shifted as u32, (shifted >> 32) as u32];
        }
        Real::Int {
            negative: value < 0.0,
            hex: limbs_to_hex(&limbs),
        }
    }
}

impl Number {
    /// `True` and `False` are the integers 1 and 0.
    pub fn from_bool(value: bool) -> Self {
        let hex = if value { "1" } else { "0" };
        Number {
            real: Real::Int {
                negative: false,
                hex: hex.to_owned(),
            },
            imag: Real::zero(),
        }
    }

    /// Parses an `integer` or `float` literal (underscores, prefixes, `j` suffix).
    pub fn parse(text: &str) -> Option<Self> {
        let cleaned: String = text.chars().filter(|&c| c != '_').collect();
        if let Some(body) = cleaned.strip_suffix(['j', 'J']) {
            let imag = parse_float(body)?;
            return Some(Number {
                real: Real::zero(),
                imag: Real::from_f64(imag),
            });
        }
        let lower = cleaned.to_ascii_lowercase();
        let radix_body = [("0x", 16), ("0o", 8), ("0b", 2)]
            .into_iter()
            .find_map(|(prefix, radix)| lower.strip_prefix(prefix).map(|body| (radix, body)));
        let real = match radix_body {
            Some((radix, body)) => integer_real(body, radix)?,
            None if lower.contains(['.', 'e']) => Real::from_f64(parse_float(&lower)?),
            None => integer_real(&lower, 10)?,
        };
        Some(Number {
            real,
            imag: Real::zero(),
        })
    }
}

fn parse_float(text: &str) -> Option<f64> {
    let owned;
    let text = if text.ends_with('.') {
        owned = format!("{text}0");
        &owned
    } else {
        text
    };
    text.parse::<f64>().ok()
}

fn integer_real(digits: &str, radix: u32) -> Option<Real> {
    if digits.is_empty() {
        return None;
    }
    let mut limbs: Vec<u32> = vec![0];
    for c in digits.chars() {
        let digit = c.to_digit(radix)?;
        multiply_add(&mut limbs, radix, digit);
    }
    Some(Real::Int {
        negative: false,
        hex: limbs_to_hex(&limbs),
    })
}

fn multiply_add(limbs: &mut Vec<u32>, factor: u32, addend: u32) {
    let mut carry = u64::from(addend);
    for limb in limbs.iter_mut() {
        let value = u64::from(*limb) * u64::from(factor) + carry;
        *limb = value as u32;
        carry = value >> 32;
    }
    if carry != 0 {
        limbs.push(carry as u32);
    }
}

fn shift_left(limbs: &mut Vec<u32>, bits: u32) {
    let whole = (bits / 32) as usize;
    let part = bits % 32;
    if part != 0 {
        let mut carry = 0u32;
        for limb in limbs.iter_mut() {
            let next = *limb >> (32 - part);
            *limb = (*limb << part) | carry;
            carry = next;
        }
        if carry != 0 {
            limbs.push(carry);
        }
    }
    limbs.splice(0..0, std::iter::repeat_n(0, whole));
}

fn limbs_to_hex(limbs: &[u32]) -> String {
    let mut out = String::new();
    for limb in limbs.iter().rev() {
        if out.is_empty() {
            if *limb != 0 {
                let _ = write!(out, "{limb:x}");
            }
        } else {
            let _ = write!(out, "{limb:08x}");
        }
    }
    if out.is_empty() {
        out.push('0');
    }
    out
}

/// The decoded value of one string literal piece.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum StringValue {
    Str(String),
    Bytes(Vec<u8>),
}

/// Decodes the body of a (non-f) string literal given its prefix letters.
pub fn decode_string(prefix: &str, body: &str) -> StringValue {
    let lower = prefix.to_ascii_lowercase();
    let raw = lower.contains('r');
    let body = body.replace("\r\n", "\n");
    if lower.contains('b') {
        let mut out = Vec::new();
        if raw {
            out.extend_from_slice(body.as_bytes());
        } else {
            decode_escapes(&body, false, &mut |c| push_byte(&mut out, c));
        }
        StringValue::Bytes(out)
    } else if raw {
        StringValue::Str(body)
    } else {
        let mut out = String::new();
        decode_escapes(&body, true, &mut |c| push_char(&mut out, c));
        StringValue::Str(out)
    }
}

/// A decoded code point, or a marker for what a Rust string cannot hold.
enum Decoded<'a> {
    Code(u32),
    Literal(&'a str),
}

fn push_char(out: &mut String, decoded: Decoded<'_>) {
    match decoded {
        Decoded::Code(code) => match char::from_u32(code) {
            Some(c) => out.push(c),
            // Lone surrogates: keep them distinct from any real text.
            None => {
                let _ = write!(out, "\u{FFFF}u{code:x}");
            }
        },
        Decoded::Literal(text) => out.push_str(text),
    }
}

fn push_byte(out: &mut Vec<u8>, decoded: Decoded<'_>) {
    match decoded {
        Decoded::Code(code) if code < 0x80 => out.push(code as u8),
        Decoded::Code(code) => {
            if code <= 0xff {
                out.push(code as u8);
            } else {
                out.extend_from_slice(
                    char::from_u32(code)
                        .unwrap_or('\u{FFFD}')
                        .to_string()
                        .as_bytes(),
                );
            }
        }
        Decoded::Literal(text) => out.extend_from_slice(text.as_bytes()),
    }
}

fn decode_escapes<'a>(body: &'a str, unicode: bool, emit: &mut dyn FnMut(Decoded<'a>)) {
    let mut rest = body;
    while let Some(pos) = rest.find('\\') {
        if pos > 0 {
            emit_text(&rest[..pos], unicode, emit);
        }
        let after = &rest[pos + 1..];
        let Some(c) = after.chars().next() else {
            emit(Decoded::Literal("\\"));
            return;
        };
        let mut consumed = c.len_utf8();
        match c {
            '\n' => {}
            '\\' => emit(Decoded::Code('\\' as u32)),
            '\'' => emit(Decoded::Code('\'' as u32)),
            '"' => emit(Decoded::Code('"' as u32)),
            'a' => emit(Decoded::Code(7)),
            'b' => emit(Decoded::Code(8)),
            'f' => emit(Decoded::Code(12)),
            'n' => emit(Decoded::Code(10)),
            'r' => emit(Decoded::Code(13)),
            't' => emit(Decoded::Code(9)),
            'v' => emit(Decoded::Code(11)),
            '0'..='7' => {
                let digits: &str = &after[..after
                    .bytes()
                    .take(3)
                    .take_while(|b| (b'0'..=b'7').contains(b))
                    .count()];
                consumed = digits.len();
                emit(Decoded::Code(u32::from_str_radix(digits, 8).unwrap_or(0)));
            }
            'x' => consumed += emit_hex(&after[1..], 2, emit),
            'u' if unicode => consumed += emit_hex(&after[1..], 4, emit),
            'U' if unicode => consumed += emit_hex(&after[1..], 8, emit),
            'N' if unicode && after[1..].starts_with('{') => {
                // Named escapes would need the Unicode name table; keep the
                // spelling, which is equal for equal names.
                let end = after.find('}').map_or(after.len(), |i| i + 1);
                emit(Decoded::Literal("\u{FFFF}"));
                emit(Decoded::Literal(&after[..end]));
                consumed = end;
            }
            _ => {
                emit(Decoded::Code('\\' as u32));
                emit(Decoded::Code(c as u32));
            }
        }
        rest = &after[consumed..];
    }
    if !rest.is_empty() {
        emit_text(rest, unicode, emit);
    }
}

fn emit_text<'a>(text: &'a str, unicode: bool, emit: &mut dyn FnMut(Decoded<'a>)) {
    if unicode {
        emit(Decoded::Literal(text));
    } else {
        for c in text.chars() {
            emit(Decoded::Code(c as u32));
        }
    }
}

fn emit_hex<'a>(text: &'a str, width: usize, emit: &mut dyn FnMut(Decoded<'a>)) -> usize {
    let digits = text
        .bytes()
        .take(width)
        .take_while(u8::is_ascii_hexdigit)
        .count();
    match u32::from_str_radix(&text[..digits], 16) {
        Ok(code) if digits == width => emit(Decoded::Code(code)),
        _ => emit(Decoded::Literal("\u{FFFD}")),
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> Number {
        Number::parse(text).expect("valid literal")
    }

    #[test]
    fn numbers_compare_by_value_across_types() {
        assert_eq!(num("1"), num("1.0"));
        assert_eq!(num("1"), Number::from_bool(true));
        assert_eq!(num("0"), Number::from_bool(false));
        assert_eq!(num("0"), num("0.0"));
        assert_eq!(num("0"), num("0j"));
        assert_eq!(num("0x10"), num("16"));
        assert_eq!(num("16"), num("16.0"));
        assert_eq!(num("1_000"), num("1000"));
        assert_eq!(num("0o17"), num("15"));
        assert_eq!(num("0b101"), num("5"));
        assert_eq!(num("1e3"), num("1000"));
        assert_ne!(num("1.5"), num("1"));
        assert_ne!(num("2j"), num("2"));
        assert_eq!(num("2j"), num("2.0J"));
    }

    #[test]
    fn huge_integers_compare_exactly_with_floats() {
        // 10**30 is not exactly representable: 1e30 is a different integer.
        assert_ne!(num("1000000000000000000000000000000"), num("1e30"));
        // 2**100, written as a decimal int, a hex int and a float.
        assert_eq!(
            num("1267650600228229401496703205376"),
            num("0x10000000000000000000000000")
        );
        assert_eq!(
            num("1267650600228229401496703205376"),
            num("1.2676506002282294e30")
        );
        assert_eq!(num("1e999"), num("2e999"));
    }

    #[test]
    fn strings_decode_escapes() {
        assert_eq!(decode_string("", "a\\nb"), StringValue::Str("a\nb".into()));
        assert_eq!(
            decode_string("r", "a\\nb"),
            StringValue::Str("a\\nb".into())
        );
        assert_eq!(
            decode_string("", "\\x41\\101\\u0041"),
            StringValue::Str("AAA".into())
        );
        assert_eq!(
            decode_string("b", "\\x41"),
            StringValue::Bytes(b"A".to_vec())
        );
        assert_eq!(decode_string("", "\\q"), StringValue::Str("\\q".into()));
        assert_eq!(decode_string("", "a\\\nb"), StringValue::Str("ab".into()));
        assert_ne!(decode_string("b", "a"), decode_string("", "a"));
    }
}
