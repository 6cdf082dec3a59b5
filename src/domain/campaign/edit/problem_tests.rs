//! Each form's problems name the field they belong beside.

use super::*;
use crate::domain::campaign::CampaignDefinition;
use crate::domain::question::QuestionKind;

#[test]
fn each_field_s_problem_is_named() {
    let mut def =
        CampaignDefinition::from_toml(crate::domain::campaign::DEFAULT_CAMPAIGN_TOML).unwrap();
    let mut form = QuestionForm::new(QuestionKind::Single);
    form.key = "Role 2".into();
    form.options = vec![
        OptionRow {
            value: "a".into(),
            label: "A".into(),
            hint: String::new(),
            cy_label: String::new(),
        },
        OptionRow {
            value: "a".into(),
            label: " ".into(),
            hint: String::new(),
            cy_label: String::new(),
        },
    ];
    let problems = form.apply(&mut def, "governance", None).unwrap_err();
    let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(fields, ["key", "text", "option-1-value", "option-1-label"]);
    assert!(
        problems[2]
            .message
            .contains("another option has the code “a”")
    );

    form.key = "role".into();
    form.text = "Again?".into();
    form.options[1] = OptionRow {
        value: "b".into(),
        label: "B".into(),
        hint: String::new(),
        cy_label: String::new(),
    };
    let taken = form.apply(&mut def, "governance", None).unwrap_err();
    assert_eq!(taken[0].field, "key");
    assert!(
        taken[0]
            .message
            .contains("Another question of this survey has the key “role”")
    );

    let mut dates = DetailsForm::of(&def);
    dates.opens_on = "2027-02-01".into();
    dates.closes_on = "2027-01-31".into();
    let problems = dates.apply(&mut def.clone(), false).unwrap_err();
    assert_eq!(problems[0].field, "closes_on");
}
