//! The chain's hash chosen at installation: a database made with
//! `chain_hash = "sm3"` (or the default SHA-256) keeps it whatever the
//! configuration says later; `duban verify` checks with it, and finds an
//! entry changed in the database under either.

use duban_domain::events::ChainHash;
use duban_domain::org::Role;
use duban_store::testing::fresh_databases;
use duban_store::{NewUser, Store};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_duban");

fn verify(url: &str, configured: &str) -> (bool, String) {
    let out = Command::new(BIN)
        .arg("verify")
        .env("DUBAN_DATABASE_URL", url)
        .env("DUBAN_CHAIN_HASH", configured)
        .output()
        .expect("verify runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

#[tokio::test]
async fn either_hash_verifies_keeps_and_finds_a_change() {
    for (alg, other) in [(ChainHash::Sha256, "sm3"), (ChainHash::Sm3, "sha256")] {
        for url in fresh_databases(&format!("chain_{}", alg.name())).await {
            // The first start chooses (verify opens the store as serve does).
            let (ok, out) = verify(&url, alg.name());
            assert!(ok, "{out}");
            let store = Store::open(&url).await.unwrap();
            assert_eq!(store.chain_hash().await.unwrap(), alg);
            for login in ["zhang", "li", "wang"] {
                store
                    .create_user(
                        None,
                        NewUser {
                            login: login.into(),
                            name: format!("{login}的名字"),
                            role: Role::Office,
                            unit_id: None,
                            email: None,
                            password_hash: "x".into(),
                        },
                    )
                    .await
                    .unwrap();
            }
            // Configured otherwise later: the database keeps its own.
            let (ok, out) = verify(&url, other);
            assert!(ok, "{out}");
            let name = alg.name().to_uppercase();
            assert!(
                out.contains(&format!("共 4 条，哈希链连续（哈希算法 {name}）")),
                "{out}"
            );
            assert_eq!(
                store
                    .install_chain_hash(ChainHash::parse(other).unwrap())
                    .await
                    .unwrap(),
                alg
            );
            // An entry changed in the database breaks the chain there.
            let mut tx = store.pool().begin().await.unwrap();
            tx.exec(
                "UPDATE events SET after = '{\"login\":\"intruder\"}' WHERE seq = 3",
                vec![],
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            let (ok, out) = verify(&url, alg.name());
            assert!(!ok, "{out}");
            assert!(out.contains("第 3 条内容与其哈希不符"), "{out}");
            store.close().await;
        }
    }
}
