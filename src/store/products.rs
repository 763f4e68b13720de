//! `products`: serums, needle cartridges and numbing creams by lot.

use super::db::{Db, Row};
use rusqlite::params;

use super::error::{StoreError, StoreResult};
use super::{rows, Store, Writer};
use crate::domain::{AuditAction, Product, ProductId, ProductKind};

const TABLE: &str = "products";
const COLUMNS: &str = "id, kind, name, serum, lot_number, expires_on, sterile, active";

/// A `products` row as stored ([`COLUMNS`]).
struct ProductRow {
    id: String,
    kind: String,
    name: String,
    serum: Option<String>,
    lot_number: String,
    expires_on: String,
    sterile: bool,
    active: bool,
}

impl ProductRow {
    fn from_row(r: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: r.get("id")?,
            kind: r.get("kind")?,
            name: r.get("name")?,
            serum: r.get("serum")?,
            lot_number: r.get("lot_number")?,
            expires_on: r.get("expires_on")?,
            sterile: r.get("sterile")?,
            active: r.get("active")?,
        })
    }

    fn into_product(self) -> StoreResult<Product> {
        let id = self.id;
        Ok(Product {
            id: rows::parse(TABLE, &id, "id", &id)?,
            kind: ProductKind::from_code(&self.kind).map_err(|e| rows::bad(TABLE, &id, e))?,
            expires_on: rows::date(TABLE, &id, &self.expires_on)?,
            name: self.name,
            serum: self.serum,
            lot_number: self.lot_number,
            sterile: self.sterile,
            active: self.active,
        })
    }
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
pub(super) fn product_on(conn: &Db, id: ProductId) -> StoreResult<Option<Product>> {
    let sql = format!("SELECT {COLUMNS} FROM products WHERE id = ?1");
    rows::read_one(conn, &sql, [id.to_string()], ProductRow::from_row)?
        .map(ProductRow::into_product)
        .transpose()
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
        rows::read_all(self.conn(), &sql, [], ProductRow::from_row)?
            .into_iter()
            .map(ProductRow::into_product)
            .collect()
    }
}
