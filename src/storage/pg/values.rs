//! Values between the facade's neutral model (SQLite's five storage classes) and PostgreSQL's
//! typed wire format. Loose both ways, as SQLite is: an integer argument binds to whatever
//! integer, boolean, real or text type the server inferred for its parameter, and any
//! column a query returns reads back as one of the five classes. That lets one SQL text serve
//! both engines without a cast at every parameter.

use std::error::Error as StdError;

use bytes::BytesMut;
use postgres::types::{FromSql, IsNull, ToSql, Type, to_sql_checked};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};

type BoxError = Box<dyn StdError + Sync + Send>;

/// One argument, owned, ready to be written in the type the server asks for.
#[derive(Debug, Clone)]
pub struct Arg(pub Value);

impl Arg {
    /// The argument a SQLite-style value gives.
    pub fn of(v: &dyn rusqlite::ToSql) -> rusqlite::Result<Arg> {
        Ok(Arg(match v.to_sql()? {
            ToSqlOutput::Borrowed(r) => owned(r),
            ToSqlOutput::Owned(v) => v,
            _ => Value::Null,
        }))
    }
}

fn owned(r: ValueRef<'_>) -> Value {
    match r {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

fn mismatch(v: &Value, ty: &Type) -> BoxError {
    format!("cannot pass {v:?} as a PostgreSQL {ty}").into()
}

impl ToSql for Arg {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let v = &self.0;
        if let Value::Null = v {
            return Ok(IsNull::Yes);
        }
        match *ty {
            Type::INT8 => as_i64(v)?.to_sql(ty, out),
            Type::INT4 => i32::try_from(as_i64(v)?)?.to_sql(ty, out),
            Type::INT2 => i16::try_from(as_i64(v)?)?.to_sql(ty, out),
            Type::BOOL => (as_i64(v)? != 0).to_sql(ty, out),
            Type::FLOAT8 => as_f64(v)?.to_sql(ty, out),
            Type::FLOAT4 => (as_f64(v)? as f32).to_sql(ty, out),
            Type::BYTEA => match v {
                Value::Blob(b) => b.to_sql(ty, out),
                _ => Err(mismatch(v, ty)),
            },
            Type::JSON | Type::JSONB => {
                let text = as_text(v);
                let json: serde_json::Value = serde_json::from_str(&text)?;
                json.to_sql(ty, out)
            }
            Type::DATE => {
                let d = chrono::NaiveDate::parse_from_str(&as_text(v), "%Y-%m-%d")
                    .map_err(|_| mismatch(v, ty))?;
                let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).ok_or("no epoch")?;
                i32::try_from((d - epoch).num_days())?.to_sql(&Type::INT4, out)
            }
            Type::NUMERIC => Err(format!(
                "a NUMERIC parameter ({v:?}): cast it to BIGINT or DOUBLE PRECISION in the SQL"
            )
            .into()),
            _ => as_text(v).to_sql(&Type::TEXT, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        !matches!(ty.kind(), postgres::types::Kind::Array(_))
    }

    to_sql_checked!();
}

fn as_i64(v: &Value) -> Result<i64, BoxError> {
    match v {
        Value::Integer(i) => Ok(*i),
        Value::Real(f) if f.fract() == 0.0 => Ok(*f as i64),
        Value::Text(s) => Ok(s.trim().parse()?),
        _ => Err(format!("{v:?} is not an integer").into()),
    }
}

fn as_f64(v: &Value) -> Result<f64, BoxError> {
    match v {
        Value::Integer(i) => Ok(*i as f64),
        Value::Real(f) => Ok(*f),
        Value::Text(s) => Ok(s.trim().parse()?),
        _ => Err(format!("{v:?} is not a number").into()),
    }
}

fn as_text(v: &Value) -> String {
    match v {
        Value::Integer(i) => i.to_string(),
        Value::Real(f) => f.to_string(),
        Value::Text(s) => s.clone(),
        Value::Blob(b) => String::from_utf8_lossy(b).into_owned(),
        Value::Null => String::new(),
    }
}

/// One column as read, in the neutral model.
#[derive(Debug, Clone, PartialEq)]
pub struct Col(pub Value);

impl Col {
    pub fn as_ref(&self) -> ValueRef<'_> {
        (&self.0).into()
    }
}

impl<'a> FromSql<'a> for Col {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Col, BoxError> {
        Ok(Col(match *ty {
            Type::INT8 => Value::Integer(i64::from_sql(ty, raw)?),
            Type::INT4 => Value::Integer(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => Value::Integer(i16::from_sql(ty, raw)?.into()),
            Type::OID => Value::Integer(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Integer(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::NUMERIC => numeric(raw)?,
            Type::BYTEA => Value::Blob(raw.to_vec()),
            Type::JSON | Type::JSONB => {
                Value::Text(serde_json::Value::from_sql(ty, raw)?.to_string())
            }
            Type::DATE => {
                let days = i32::from_sql(&Type::INT4, raw)?;
                let epoch = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).ok_or("no epoch")?;
                Value::Text(
                    (epoch + chrono::Duration::days(days.into()))
                        .format("%Y-%m-%d")
                        .to_string(),
                )
            }
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                Value::Text(String::from_utf8(raw.to_vec())?)
            }
            // Binary forms this reader does not know (a timestamp, an array) would come out
            // as garbage text: refused instead, naming the type to cast in the SQL.
            _ => return Err(format!("a column of type {ty}: cast it to TEXT in the SQL").into()),
        }))
    }

    fn from_sql_null(_: &Type) -> Result<Col, BoxError> {
        Ok(Col(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A NUMERIC (what `sum` of BIGINTs and `avg` give) as an integer when it has no fraction,
/// else as a real. The binary form: digit count, weight, sign, scale, then base-10000 digits.
fn numeric(raw: &[u8]) -> Result<Value, BoxError> {
    let word = |i: usize| -> Result<i16, BoxError> {
        let b = raw.get(i..i + 2).ok_or("a short NUMERIC")?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    };
    let ndigits = usize::try_from(word(0)?)?;
    let weight = i32::from(word(2)?);
    let sign = word(4)? as u16;
    let scale = word(6)?;
    match sign {
        0xC000 => return Ok(Value::Real(f64::NAN)),
        0xD000 => return Ok(Value::Real(f64::INFINITY)),
        0xF000 => return Ok(Value::Real(f64::NEG_INFINITY)),
        _ => {}
    }
    let mut int: i128 = 0;
    let mut real = 0f64;
    let mut exact = true;
    for k in 0..ndigits {
        let d = i128::from(word(8 + 2 * k)?);
        let power = weight - i32::try_from(k)?;
        real += d as f64 * 10000f64.powi(power);
        if power >= 0 {
            int = int.saturating_add(d.saturating_mul(10000i128.saturating_pow(power as u32)));
        } else if d != 0 {
            exact = false;
        }
    }
    let negative = sign == 0x4000;
    if scale == 0 || exact {
        let v = if negative { -int } else { int };
        if let Ok(v) = i64::try_from(v) {
            return Ok(Value::Integer(v));
        }
    }
    Ok(Value::Real(if negative { -real } else { real }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(ndigits: i16, weight: i16, sign: u16, scale: i16, digits: &[i16]) -> Vec<u8> {
        let mut b = Vec::new();
        for w in [ndigits, weight, sign as i16, scale] {
            b.extend_from_slice(&w.to_be_bytes());
        }
        for d in digits {
            b.extend_from_slice(&d.to_be_bytes());
        }
        b
    }

    #[test]
    fn numerics_read_as_integers_when_whole_and_reals_otherwise() {
        // 1234567 = 123 4567 (weight 1)
        assert_eq!(
            numeric(&num(2, 1, 0, 0, &[123, 4567])).unwrap(),
            Value::Integer(1_234_567)
        );
        assert_eq!(
            numeric(&num(1, 0, 0x4000, 0, &[42])).unwrap(),
            Value::Integer(-42)
        );
        assert_eq!(numeric(&num(0, 0, 0, 0, &[])).unwrap(), Value::Integer(0));
        // 2.5 = 2 . 5000 (weight 0)
        assert_eq!(
            numeric(&num(2, 0, 0, 1, &[2, 5000])).unwrap(),
            Value::Real(2.5)
        );
        assert!(numeric(&[0, 1]).is_err(), "a short value is refused");
    }

    #[test]
    fn arguments_take_the_type_the_server_asks_for() {
        let mut out = BytesMut::new();
        let int = Arg(Value::Integer(7));
        assert!(int.to_sql(&Type::INT4, &mut out).is_ok());
        assert_eq!(&out[..], &7i32.to_be_bytes());
        out.clear();
        assert!(int.to_sql(&Type::BOOL, &mut out).is_ok());
        assert_eq!(&out[..], &[1]);
        out.clear();
        assert!(int.to_sql(&Type::TEXT, &mut out).is_ok());
        assert_eq!(&out[..], b"7");
        out.clear();
        let big = Arg(Value::Integer(i64::MAX));
        assert!(big.to_sql(&Type::INT4, &mut out).is_err(), "no silent wrap");
        let text = Arg(Value::Text("2026-12-04".into()));
        out.clear();
        assert!(text.to_sql(&Type::DATE, &mut out).is_ok());
        let back = Col::from_sql(&Type::DATE, &out).unwrap();
        assert_eq!(back, Col(Value::Text("2026-12-04".into())));
        assert!(matches!(
            Arg(Value::Null).to_sql(&Type::INT8, &mut out),
            Ok(IsNull::Yes)
        ));
    }
}
