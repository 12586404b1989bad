//! The keys a struct's `Deserialize` accepts, read from serde's own list of its fields, so
//! that a check for unknown keys cannot drift from the type (serde's `deny_unknown_fields`
//! does not work beside `flatten`).

use serde::de::{self, Deserialize, Deserializer, Visitor};

/// The field names of `T`, a struct without flattened fields.
pub(super) fn field_names<'de, T: Deserialize<'de>>() -> &'static [&'static str] {
    let mut names: &'static [&'static str] = &[];
    // The deserializer fails on purpose once it has the names: no value is built.
    let _ = T::deserialize(Names(&mut names));
    names
}

/// A deserializer that only records the fields a struct asks for.
struct Names<'a>(&'a mut &'static [&'static str]);

impl<'de> Deserializer<'de> for Names<'_> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        fields: &'static [&'static str],
        _: V,
    ) -> Result<V::Value, Self::Error> {
        *self.0 = fields;
        Err(de::Error::custom("field names read"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map enum identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Invented {
        a: u8,
        #[serde(rename = "b_b")]
        b: Option<String>,
    }

    #[test]
    fn names_are_the_keys_serde_reads() {
        assert_eq!(field_names::<Invented>(), ["a", "b_b"]);
        let read: Invented = serde_json::from_str(r#"{"a": 1, "b_b": "x"}"#).unwrap();
        assert_eq!((read.a, read.b.as_deref()), (1, Some("x")));
        assert_eq!(field_names::<u8>(), [] as [&str; 0]);
    }
}
