//! Password rules (GB/T 22239-2019 身份鉴别: complexity, and changed
//! rather than reused): a minimum length, characters from enough classes,
//! not the log-in name. Reuse is checked by the caller against stored
//! hashes; this module sees only plain text and answers in words.

/// The rules, as configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Characters at least.
    pub min_length: usize,
    /// Of the four classes (lower-case letters, upper-case letters,
    /// digits, other characters such as symbols or Chinese), how many
    /// must appear.
    pub min_classes: usize,
    /// The number of earlier passwords a new one may not repeat.
    pub history: usize,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            min_length: 10,
            min_classes: 3,
            history: 5,
        }
    }
}

impl PasswordPolicy {
    /// What the rules ask, in one sentence for forms.
    pub fn describe(&self) -> String {
        format!(
            "至少 {} 个字符，包含大写字母、小写字母、数字、其他字符（符号或汉字）中的至少 {} 类，不能包含登录名，不能与最近 {} 次用过的密码相同",
            self.min_length, self.min_classes, self.history
        )
    }

    /// Whether `password` is acceptable for the user `login`; if not, why.
    pub fn check(&self, login: &str, password: &str) -> Result<(), String> {
        if password.trim() != password || password.chars().any(char::is_control) {
            return Err("密码首尾不能有空格，也不能含控制字符".into());
        }
        let n = password.chars().count();
        if n < self.min_length {
            return Err(format!(
                "密码太短（{n} 个字符），至少 {} 个字符",
                self.min_length
            ));
        }
        let classes = [
            password.chars().any(|c| c.is_ascii_lowercase()),
            password.chars().any(|c| c.is_ascii_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_ascii_alphanumeric()),
        ]
        .iter()
        .filter(|b| **b)
        .count();
        if classes < self.min_classes {
            return Err(format!(
                "密码须包含大写字母、小写字母、数字、其他字符（符号或汉字）中的至少 {} 类，现在只有 {classes} 类",
                self.min_classes
            ));
        }
        let login = login.trim().to_lowercase();
        if !login.is_empty() && password.to_lowercase().contains(&login) {
            return Err("密码不能包含登录名".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_passwords_are_refused_with_the_reason() {
        let p = PasswordPolicy::default();
        assert!(p.check("zhangsan", "督办Test#2024").is_ok());
        assert!(p.check("zhangsan", "Abcdef1234").is_ok());
        for (pw, says) in [
            ("12345678", "太短"),
            ("        ", "首尾"),
            ("1234567890", "至少 3 类"),
            ("abcdefghijk", "至少 3 类"),
            ("ZhangSan#2024", "登录名"),
            (" Abcdef1234", "首尾"),
            ("Abc\u{0}def1234", "控制字符"),
        ] {
            let e = p.check("zhangsan", pw).unwrap_err();
            assert!(e.contains(says), "{pw:?}: {e}");
        }
        let lax = PasswordPolicy {
            min_length: 6,
            min_classes: 1,
            history: 0,
        };
        assert!(lax.check("a", "123456").is_ok());
        assert!(p.describe().contains("至少 10 个字符"));
    }
}
