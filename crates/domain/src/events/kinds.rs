//! Every kind of entry the event log records, with its code (the entry's
//! `action`, e.g. `track.sign_for`) and its name in words. The log is
//! written only through [`EventKind`], so this table is the whole list of
//! what the log can hold; the audit trail's filter and rows and a
//! matter's history read their names from it.

use crate::workflow::ActionKind;

/// Declares [`EventKind`] from one table: variant, code, name.
macro_rules! event_kinds {
    ($($variant:ident = $code:literal, $label:literal;)*) => {
        /// What an entry of the event log records.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum EventKind {
            $(
                #[doc = $label]
                $variant,
            )*
        }

        impl EventKind {
            /// Every kind, in the table's order.
            pub const ALL: &'static [EventKind] = &[$(EventKind::$variant),*];

            /// The code stored as the entry's action.
            pub fn code(self) -> &'static str {
                match self {
                    $(EventKind::$variant => $code,)*
                }
            }

            /// The kind in words.
            pub fn label(self) -> &'static str {
                match self {
                    $(EventKind::$variant => $label,)*
                }
            }
        }
    };
}

event_kinds! {
    // A unit's part in a matter (任务办理).
    TrackAssign = "track.assign", "交办";
    TrackSignFor = "track.sign_for", "签收";
    TrackReport = "track.report", "反馈";
    TrackApplyToClose = "track.apply_to_close", "申请办结";
    TrackReturn = "track.return", "退回";
    TrackClose = "track.close", "办结";
    TrackRequestExtension = "track.request_extension", "申请延期";
    TrackGrantExtension = "track.grant_extension", "批准延期";
    TrackRefuseExtension = "track.refuse_extension", "不予延期";
    TrackWithdraw = "track.withdraw", "撤销";
    TrackUrge = "track.urge", "催办";
    TrackRole = "track.role", "改派（调整角色）";
    TrackDeadline = "track.deadline", "调整时限（单位）";
    TrackHandler = "track.handler", "交承办人";
    TrackLimitsMoved = "track.limits_moved", "时限调整（节假日安排变更）";
    // Matters (督办事项).
    MatterCreate = "matter.create", "立项交办";
    MatterEdit = "matter.edit", "修改事项";
    MatterReassign = "matter.reassign", "改派";
    MatterDeadline = "matter.deadline", "调整时限";
    MatterWithdraw = "matter.withdraw", "撤销事项";
    MatterInstruction = "matter.instruction", "领导批示";
    MatterStatus = "matter.status", "事项状态变更";
    MatterLink = "matter.link", "关联事项";
    MatterUnlink = "matter.unlink", "取消关联";
    ReportCreate = "report.create", "反馈内容存档";
    // Documents and problems raised (公文、诉求).
    SourceIngest = "source.ingest", "导入来源";
    ProposalDecide = "proposal.decide", "处理拟办任务";
    AppealCreate = "appeal.create", "登记诉求";
    AppealAccept = "appeal.accept", "受理诉求";
    AppealReject = "appeal.reject", "不予受理诉求";
    IndicatorReport = "indicator.report", "填报指标数值";
    IndicatorCorrect = "indicator.correct", "更正指标数值";
    // Supervision and assessment (督查、约谈、考核).
    InspectionCreate = "inspection.create", "登记督查记录";
    SummonsCreate = "summons.create", "登记约谈";
    AssessmentRulesSet = "assessment_rules.set", "修改考核规则";
    // Organisation (单位、领导).
    UnitCreate = "unit.create", "添加单位";
    UnitKind = "unit.kind", "修改单位类别";
    UnitAliases = "unit.aliases", "修改单位别名";
    UnitMerge = "unit.merge", "合并单位";
    GroupCreate = "group.create", "添加单位分组";
    LeaderOversee = "leader.oversee", "设置分管单位";
    MatterTypeCreate = "matter_type.create", "添加事项类型";
    MatterTypeUpdate = "matter_type.update", "修改事项类型";
    CalendarSetYear = "calendar.set_year", "设置节假日安排";
    CalendarRemoveYear = "calendar.remove_year", "删除节假日安排";
    // Accounts (账号).
    UserCreate = "user.create", "添加用户";
    UserPrincipal = "user.principal", "设置第一责任人";
    UserDisable = "user.disable", "停用用户";
    UserEnable = "user.enable", "启用用户";
    UserLock = "user.lock", "账号锁定";
    UserUnlock = "user.unlock", "解除锁定";
    UserPasswordChange = "user.password_change", "修改密码";
    UserPasswordReset = "user.password_reset", "重置密码";
    UserMustChangePassword = "user.must_change_password", "要求修改密码";
    UserTotpEnable = "user.totp_enable", "启用动态口令";
    UserTotpReset = "user.totp_reset", "重置动态口令";
    TokenCreate = "token.create", "签发 API 令牌";
    TokenRevoke = "token.revoke", "吊销 API 令牌";
    // Configuration (系统设置).
    SettingsSecurity = "settings.security", "修改安全策略";
    SettingsChainHash = "settings.chain_hash", "设定哈希算法";
    // Security audit (安全审计).
    AuditLogin = "audit.login", "登录";
    AuditLoginFailed = "audit.login_failed", "登录失败";
    AuditTotpFailed = "audit.totp_failed", "动态口令错误";
    AuditDownload = "audit.download", "附件下载";
    AuditExport = "audit.export", "导出";
    // Generated sample data (生成演示数据).
    GenerateUnits = "generate.units", "生成演示单位";
    GenerateMatter = "generate.matter", "生成演示事项";
}

/// The groups of kinds, by the code's first part: (prefix with its dot,
/// name), in the order the audit filter lists them.
pub const GROUPS: &[(&str, &str)] = &[
    ("audit.", "安全审计"),
    ("user.", "账号"),
    ("token.", "API 令牌"),
    ("settings.", "系统设置"),
    ("matter.", "督办事项"),
    ("track.", "任务办理"),
    ("report.", "反馈内容"),
    ("source.", "来源"),
    ("proposal.", "拟办任务"),
    ("appeal.", "诉求"),
    ("indicator.", "指标"),
    ("inspection.", "督查记录"),
    ("summons.", "约谈"),
    ("assessment_rules.", "考核规则"),
    ("unit.", "单位"),
    ("group.", "单位分组"),
    ("leader.", "领导分管"),
    ("matter_type.", "事项类型"),
    ("calendar.", "节假日安排"),
    ("generate.", "演示数据"),
];

impl EventKind {
    /// The kind of a stored code; `None` for a code this version does not
    /// write (an entry of an older version).
    pub fn of_code(code: &str) -> Option<EventKind> {
        EventKind::ALL.iter().copied().find(|k| k.code() == code)
    }

    /// The words for a stored code, or the code itself where unknown.
    pub fn label_of(code: &str) -> &str {
        match EventKind::of_code(code) {
            Some(k) => k.label(),
            None => code,
        }
    }

    /// The kind a track's action writes.
    pub fn of_action(kind: ActionKind) -> EventKind {
        match kind {
            ActionKind::SignFor => EventKind::TrackSignFor,
            ActionKind::Report => EventKind::TrackReport,
            ActionKind::ApplyToClose => EventKind::TrackApplyToClose,
            ActionKind::Return => EventKind::TrackReturn,
            ActionKind::Close => EventKind::TrackClose,
            ActionKind::RequestExtension => EventKind::TrackRequestExtension,
            ActionKind::GrantExtension => EventKind::TrackGrantExtension,
            ActionKind::RefuseExtension => EventKind::TrackRefuseExtension,
            ActionKind::Withdraw => EventKind::TrackWithdraw,
        }
    }

    /// The group the kind is listed under: (prefix, name).
    pub fn group(self) -> (&'static str, &'static str) {
        let code = self.code();
        GROUPS
            .iter()
            .copied()
            .find(|(prefix, _)| code.starts_with(prefix))
            .unwrap_or(("", "其他"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn chinese(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    #[test]
    fn every_kind_has_a_distinct_code_a_chinese_name_and_a_group() {
        let mut codes = HashSet::new();
        let mut names = HashSet::new();
        for &k in EventKind::ALL {
            assert!(codes.insert(k.code()), "{} twice", k.code());
            assert!(
                names.insert((k.group(), k.label())),
                "{} named twice",
                k.label()
            );
            assert!(chinese(k.label()), "{} has no Chinese name", k.code());
            assert!(!k.group().0.is_empty(), "{} is in no group", k.code());
            assert_eq!(EventKind::of_code(k.code()), Some(k));
            assert_eq!(EventKind::label_of(k.code()), k.label());
        }
        for (prefix, name) in GROUPS {
            assert!(chinese(name), "{prefix}");
            assert!(
                EventKind::ALL.iter().any(|k| k.group().0 == *prefix),
                "the group {prefix} holds no kind"
            );
        }
    }

    #[test]
    fn a_track_action_writes_its_own_code_under_its_own_name() {
        for k in ActionKind::ALL {
            let code = serde_json::to_value(k).unwrap();
            let kind = EventKind::of_action(k);
            assert_eq!(
                kind.code(),
                format!("track.{}", code.as_str().unwrap()),
                "{k:?}"
            );
            assert_eq!(kind.label(), k.label(), "{k:?}");
        }
    }

    #[test]
    fn an_unknown_code_is_shown_as_it_is() {
        assert_eq!(EventKind::label_of("track.teleport"), "track.teleport");
        assert_eq!(EventKind::of_code(""), None);
    }
}
