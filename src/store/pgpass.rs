//! `~/.pgpass`, read as libpq reads it: `host:port:database:user:password` per line, `*`
//! matching anything, `\:` and `\\` escaped, the first matching line wins.

/// The password of the first line that matches, if any.
pub fn find(text: &str, host: &str, port: u16, database: &str, user: &str) -> Option<String> {
    let port = port.to_string();
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
        .filter_map(fields)
        .find(|f| {
            let matches = |field: &str, value: &str| field == "*" || field == value;
            let host_matches = matches(&f[0], host) || (f[0] == "localhost" && host.starts_with('/'));
            host_matches && matches(&f[1], &port) && matches(&f[2], database) && matches(&f[3], user)
        })
        .map(|f| f[4].clone())
}

/// The five fields of a line, unescaped; `None` for a line with fewer.
fn fields(line: &str) -> Option<[String; 5]> {
    let mut out: Vec<String> = vec![String::new()];
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.last_mut()?.push(next);
                }
            }
            ':' if out.len() < 5 => out.push(String::new()),
            _ => out.last_mut()?.push(c),
        }
    }
    out.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::find;

    #[test]
    fn first_matching_line_with_wildcards_and_escapes() {
        let text = "# clinic\nother:5432:*:*:nope\nserver:*:clinic:desk:pa\\:ss\n*:*:*:desk:fallback\n";
        assert_eq!(
            find(text, "server", 5432, "clinic", "desk").as_deref(),
            Some("pa:ss")
        );
        assert_eq!(
            find(text, "server", 5433, "other", "desk").as_deref(),
            Some("fallback")
        );
        assert_eq!(find(text, "server", 5432, "clinic", "lead"), None);
    }
}
