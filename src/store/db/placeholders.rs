//! SQLite's `?1` placeholders as PostgreSQL's `$1`, outside quotes and comments. A bare `?`
//! takes the next number, as SQLite numbers it. SQLite's index hints (`INDEXED BY name`), which
//! keep its planner on the right index at a million clients, are dropped: PostgreSQL plans by
//! its statistics. `column COLLATE NOCASE` (ordering) becomes `lower(column)`: the server's text
//! columns compare byte by byte (`COLLATE "C"`), and `lower` there folds ASCII letters only, as
//! NOCASE does; its indexes are on `lower(...)`.

/// The statement as PostgreSQL takes it.
pub fn to_postgres(sql: &str) -> String {
    // SQLite's CROSS JOIN ... ON fixes the join order for its planner; PostgreSQL takes
    // no ON after CROSS JOIN, and an inner join is what the store means.
    nocase_as_lower(&without_index_hints(&numbered(sql))).replace(" CROSS JOIN ", " JOIN ")
}

/// `name COLLATE NOCASE` → `lower(name)`, for a (possibly qualified) column name.
fn nocase_as_lower(sql: &str) -> String {
    const NOCASE: &str = " COLLATE NOCASE";
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find(NOCASE) {
        let before = &rest[..at];
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .map_or(0, |i| i + 1);
        out.push_str(&before[..start]);
        out.push_str("lower(");
        out.push_str(&before[start..]);
        out.push(')');
        rest = &rest[at + NOCASE.len()..];
    }
    out.push_str(rest);
    out
}

/// Removes every `INDEXED BY name` (the store writes SQL keywords in capitals).
fn without_index_hints(sql: &str) -> String {
    const HINT: &str = "INDEXED BY ";
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(at) = rest.find(HINT) {
        out.push_str(rest[..at].trim_end_matches(' '));
        let after = &rest[at + HINT.len()..];
        let name_end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        rest = &after[name_end..];
    }
    out.push_str(rest);
    out
}

fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut highest = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                // Copy to the closing quote; a doubled quote stays inside.
                for q in chars.by_ref() {
                    out.push(q);
                    if q == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for q in chars.by_ref() {
                    out.push(q);
                    if q == '\n' {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                out.push(c);
                let mut last = ' ';
                for q in chars.by_ref() {
                    out.push(q);
                    if last == '*' && q == '/' {
                        break;
                    }
                    last = q;
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                let n = if digits.is_empty() {
                    highest + 1
                } else {
                    digits.parse().unwrap_or(highest + 1)
                };
                highest = highest.max(n);
                out.push('$');
                out.push_str(&n.to_string());
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::to_postgres;

    #[test]
    fn numbered_and_bare_placeholders_outside_quotes() {
        assert_eq!(
            to_postgres("SELECT a FROM t WHERE b = ?2 AND c = ?1 AND d = '?3' -- ?4\n AND e = ?"),
            "SELECT a FROM t WHERE b = $2 AND c = $1 AND d = '?3' -- ?4\n AND e = $3"
        );
        assert_eq!(to_postgres("x = 'it''s ?' AND y = ?"), "x = 'it''s ?' AND y = $1");
        assert_eq!(to_postgres("/* ?1 */ ?1"), "/* ?1 */ $1");
        assert_eq!(
            to_postgres("FROM s CROSS JOIN p ON p.id = s.plan_id"),
            "FROM s JOIN p ON p.id = s.plan_id"
        );
        assert_eq!(
            to_postgres("ORDER BY c.full_name COLLATE NOCASE DESC, id LIMIT ?3"),
            "ORDER BY lower(c.full_name) DESC, id LIMIT $3"
        );
        assert_eq!(
            to_postgres("SELECT a FROM t AS x INDEXED BY t_by_day\n WHERE y = ?1"),
            "SELECT a FROM t AS x\n WHERE y = $1"
        );
    }
}
