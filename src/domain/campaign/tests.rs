//! Definitions: the default campaign, lines named in refusals, fingerprints.

use super::*;

#[test]
fn the_default_campaign_is_valid_and_round_trips() {
    let campaign =
        CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).expect("default campaign parses");
    assert_eq!(campaign.slug, "secure-connected-places");
    assert_eq!(campaign.resources.len(), 6);
    assert_eq!(campaign.surveys.len(), 8);
    let embedded: Vec<&str> = campaign
        .surveys
        .iter()
        .filter(|s| s.embedded)
        .map(|s| s.slug.as_str())
        .collect();
    assert_eq!(embedded, ["governance-page"]);
    let again = CampaignDefinition::from_toml(&campaign.to_toml().unwrap()).unwrap();
    assert_eq!(again, campaign);
}

#[test]
fn a_syntax_error_names_its_line() {
    let err =
        CampaignDefinition::from_toml("slug = \"a\"\ntitle = \"T\"\n\n[[survey]\n").unwrap_err();
    assert_eq!(err.line, Some(4), "{err}");
}

#[test]
fn an_unknown_workstream_names_the_resource_line() {
    let source = "slug = \"c\"\ntitle = \"C\"\n\n[[resource]]\nkey = \"r\"\ntitle = \"R\"\nworkstreams = [\"nope\"]\n\n[[survey]]\nslug = \"s\"\ntitle = \"S\"\n[[survey.question]]\nkey = \"q\"\nkind = \"text\"\ntext = \"Q?\"\n";
    let err = CampaignDefinition::from_toml(source).unwrap_err();
    assert_eq!(err.line, Some(4), "{err}");
    assert!(
        err.message.contains("workstream \"nope\" is not defined"),
        "{err}"
    );
}

#[test]
fn a_bad_question_names_its_line() {
    let source = "slug = \"c\"\ntitle = \"C\"\n[[survey]]\nslug = \"s\"\ntitle = \"S\"\n[[survey.question]]\nkey = \"q\"\nkind = \"text\"\ntext = \"Q?\"\n[[survey.question]]\nkey = \"q\"\nkind = \"text\"\ntext = \"Again?\"\n";
    let err = CampaignDefinition::from_toml(source).unwrap_err();
    assert_eq!(err.line, Some(10), "{err}");
    assert!(err.message.contains("used twice"), "{err}");
}

#[test]
fn a_resource_link_must_be_http_or_relative_and_the_refusal_names_its_line() {
    let with_url = |url: &str| {
        format!(
            "slug = \"c\"\ntitle = \"C\"\n\n[[resource]]\nkey = \"r\"\ntitle = \"R\"\nurl = {url:?}\n\n[[survey]]\nslug = \"s\"\ntitle = \"S\"\n[[survey.question]]\nkey = \"q\"\nkind = \"text\"\ntext = \"Q?\"\n"
        )
    };
    for bad in [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "java\tscript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "https:",
        "",
    ] {
        let err = CampaignDefinition::from_toml(&with_url(bad)).unwrap_err();
        assert_eq!(err.line, Some(7), "{bad:?}: {err}");
        assert!(err.message.contains("resource \"r\": url"), "{err}");
    }
    for good in [
        "https://www.gov.uk/government/publications/secure-connected-places-playbook",
        "http://example.org/a?b=c#d",
        "/resources/governance",
        "governance.html",
        "//cdn.example.org/file.pdf",
    ] {
        assert!(
            CampaignDefinition::from_toml(&with_url(good)).is_ok(),
            "{good:?}"
        );
    }
}

#[test]
fn changing_a_question_changes_the_fingerprint() {
    let campaign = CampaignDefinition::from_toml(DEFAULT_CAMPAIGN_TOML).unwrap();
    let mut questions = campaign.surveys[0].questions.clone();
    let before = fingerprint(&questions);
    assert_eq!(before, fingerprint(&questions));
    questions[1].text.push_str(" now");
    assert_ne!(before, fingerprint(&questions));
}
