//! Values between rusqlite's vocabulary and PostgreSQL's wire types. The schema uses BIGINT,
//! DOUBLE PRECISION, TEXT and BYTEA (`migrations/postgres/`), the four kinds SQLite stores.

use bytes::BytesMut;
use postgres::types::{to_sql_checked, IsNull, ToSql, Type};
use rusqlite::types::Value;

type BoxError = Box<dyn std::error::Error + Sync + Send>;

/// A column of a PostgreSQL row as the value SQLite would have given.
pub fn read(row: &postgres::Row, at: usize) -> rusqlite::Result<Value> {
    let failed = |e: postgres::Error| {
        rusqlite::Error::FromSqlConversionFailure(at, rusqlite::types::Type::Null, Box::new(e))
    };
    let ty = row
        .columns()
        .get(at)
        .ok_or(rusqlite::Error::InvalidColumnIndex(at))?
        .type_()
        .clone();
    let value = if ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(at)
            .map_err(failed)?
            .map(Value::Integer)
    } else if ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(at)
            .map_err(failed)?
            .map(|v| Value::Integer(v.into()))
    } else if ty == Type::INT2 {
        row.try_get::<_, Option<i16>>(at)
            .map_err(failed)?
            .map(|v| Value::Integer(v.into()))
    } else if ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(at)
            .map_err(failed)?
            .map(|v| Value::Integer(v.into()))
    } else if ty == Type::FLOAT8 {
        row.try_get::<_, Option<f64>>(at)
            .map_err(failed)?
            .map(Value::Real)
    } else if ty == Type::FLOAT4 {
        row.try_get::<_, Option<f32>>(at)
            .map_err(failed)?
            .map(|v| Value::Real(v.into()))
    } else if ty == Type::BYTEA {
        row.try_get::<_, Option<Vec<u8>>>(at)
            .map_err(failed)?
            .map(Value::Blob)
    } else if [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME, Type::UNKNOWN].contains(&ty) {
        row.try_get::<_, Option<String>>(at)
            .map_err(failed)?
            .map(Value::Text)
    } else {
        return Err(rusqlite::Error::FromSqlConversionFailure(
            at,
            rusqlite::types::Type::Null,
            format!("the server gave a {ty} column; the store reads BIGINT, DOUBLE PRECISION, TEXT and BYTEA (cast it)")
                .into(),
        ));
    };
    Ok(value.unwrap_or(Value::Null))
}

/// One parameter, bound as the type the server expects where that loses nothing.
#[derive(Debug)]
pub struct PgParam(pub Value);

impl PgParam {
    pub fn from_sql_param(p: &dyn rusqlite::ToSql) -> rusqlite::Result<Self> {
        use rusqlite::types::ToSqlOutput;
        let value = match p.to_sql()? {
            ToSqlOutput::Borrowed(v) => {
                Value::try_from(v).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?
            }
            ToSqlOutput::Owned(v) => v,
            other => {
                return Err(rusqlite::Error::ToSqlConversionFailure(
                    format!("a parameter of a kind PostgreSQL is not given ({other:?})").into(),
                ))
            }
        };
        Ok(Self(value))
    }
}

impl PgParam {
    /// The type to send with the value when the server is not asked for one (a query planned
    /// once, for these values): SQLite's four kinds as the schema's four types.
    pub fn own_type(&self) -> Type {
        match &self.0 {
            Value::Integer(_) => Type::INT8,
            Value::Real(_) => Type::FLOAT8,
            Value::Blob(_) => Type::BYTEA,
            Value::Text(_) | Value::Null => Type::TEXT,
        }
    }
}

fn is_text(ty: &Type) -> bool {
    [Type::TEXT, Type::VARCHAR, Type::BPCHAR, Type::NAME, Type::UNKNOWN].contains(ty)
}

impl ToSql for PgParam {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        match &self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(v) => {
                if *ty == Type::INT8 {
                    v.to_sql(ty, out)
                } else if *ty == Type::INT4 {
                    i32::try_from(*v)?.to_sql(ty, out)
                } else if *ty == Type::INT2 {
                    i16::try_from(*v)?.to_sql(ty, out)
                } else if *ty == Type::FLOAT8 {
                    // Whole numbers up to 2^53 are exact as doubles; larger ones are refused.
                    let f = *v as f64;
                    if f as i64 != *v {
                        return Err(format!("{v} cannot be given exactly as a decimal number").into());
                    }
                    f.to_sql(ty, out)
                } else if *ty == Type::BOOL {
                    (*v != 0).to_sql(ty, out)
                } else if is_text(ty) {
                    v.to_string().to_sql(ty, out)
                } else {
                    Err(format!("a whole number was given where the server expects {ty}").into())
                }
            }
            Value::Real(v) => {
                if *ty == Type::FLOAT8 {
                    v.to_sql(ty, out)
                } else if is_text(ty) {
                    v.to_string().to_sql(ty, out)
                } else {
                    Err(format!("a decimal number was given where the server expects {ty}").into())
                }
            }
            Value::Text(v) => {
                if is_text(ty) {
                    v.to_sql(ty, out)
                } else {
                    Err(format!("text was given where the server expects {ty}").into())
                }
            }
            Value::Blob(v) => {
                if *ty == Type::BYTEA {
                    v.to_sql(ty, out)
                } else {
                    Err(format!("bytes were given where the server expects {ty}").into())
                }
            }
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}
