//! `products`: serums, needle cartridges and numbing creams by lot.

use rusqlite::{params, OptionalExtension, Row};

use super::error::{StoreError, StoreResult};
use super::{rows, Store, Writer};
use crate::domain::{AuditAction, Product, ProductId, ProductKind};

const TABLE: &str = "products";
const COLUMNS: &str = "id, kind, name, serum, lot_number, expires_on, sterile, active";

type ProductRow = (String, String, String, Option<String>, String, String, bool, bool);

fn read(r: &Row<'_>) -> rusqlite::Result<ProductRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        r.get(7)?,
    ))
}

fn to_product(
    (id, kind, name, serum, lot_number, expires, sterile, active): ProductRow,
) -> StoreResult<Product> {
    Ok(Product {
        id: rows::parse(TABLE, &id, "id", &id)?,
        kind: ProductKind::from_code(&kind).map_err(|e| rows::bad(TABLE, &id, e))?,
        expires_on: rows::date(TABLE, &id, &expires)?,
        name,
        serum,
        lot_number,
        sterile,
        active,
    })
}

impl Writer<'_> {
    pub fn insert_product(&mut self, p: &Product) -> StoreResult<()> {
        let id = p.id.to_string();
        self.tx
            .prepare_cached(
                "INSERT INTO products (id, kind, name, serum, lot_number, expires_on, sterile, active, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(params![
                id,
                p.kind.code(),
                p.name,
                p.serum,
                p.lot_number,
                p.expires_on.to_string(),
                p.sterile,
                p.active,
                self.now
            ])?;
        self.audit(
            AuditAction::Create,
            TABLE,
            &id,
            None,
            &format!("{} lot {}", p.name, p.lot_number),
        )
    }

    pub fn set_product_active(&mut self, id: ProductId, active: bool) -> StoreResult<()> {
        let key = id.to_string();
        if self.exec(
            "UPDATE products SET active = ?2 WHERE id = ?1",
            params![key, active],
        )? == 0
        {
            return Err(StoreError::NotFound { what: "product" });
        }
        let detail = if active { "reactivated" } else { "deactivated" };
        self.audit(AuditAction::Update, TABLE, &key, None, detail)
    }
}

/// One product, read on any connection (the store's, or a writer's transaction).
pub(super) fn product_on(conn: &rusqlite::Connection, id: ProductId) -> StoreResult<Option<Product>> {
    let sql = format!("SELECT {COLUMNS} FROM products WHERE id = ?1");
    let row = conn
        .prepare_cached(&sql)?
        .query_row([id.to_string()], read)
        .optional()?;
    row.map(to_product).transpose()
}

impl Store {
    pub fn product(&self, id: ProductId) -> StoreResult<Option<Product>> {
        product_on(self.conn(), id)
    }

    pub fn products(&self, include_inactive: bool) -> StoreResult<Vec<Product>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM products {} ORDER BY kind, name, expires_on",
            if include_inactive { "" } else { "WHERE active = 1" }
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let found = stmt.query_map([], read)?.collect::<rusqlite::Result<Vec<_>>>()?;
        found.into_iter().map(to_product).collect()
    }
}
