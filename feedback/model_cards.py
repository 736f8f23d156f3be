"""Model cards in the CHAI Applied Model Card's field names (pure: the fields and their checks)."""

from __future__ import annotations

from typing import Any

# key -> the CHAI Applied Model Card's label, in the card's order (docs/model-cards.md).
FIELDS: dict[str, str] = {
    # Release information
    "name": "Name",
    "developer": "Developer",
    "inquiries": "Inquiries or to report an issue",
    "release_stage": "Release stage",
    "release_date": "Release date",
    "version": "Version",
    "global_availability": "Global availability",
    "regulatory_approval": "Regulatory approval",
    # Summary
    "summary": "Summary",
    "keywords": "Keywords",
    # Uses and directions
    "intended_use_and_workflow": "Intended use and workflow",
    "primary_intended_users": "Primary intended users",
    "how_to_use": "How to use",
    "targeted_patient_population": "Targeted patient population",
    "cautioned_out_of_scope_settings_and_use_cases": (
        "Cautioned out-of-scope settings and use cases"
    ),
    # Warnings
    "known_risks_and_limitations": "Known risks and limitations",
    "known_biases_or_ethical_considerations": "Known biases or ethical considerations",
    "clinical_risk_level": "Clinical risk level",
    # Trust ingredients: AI system facts
    "outcomes_and_outputs": "Outcome(s) and output(s)",
    "model_type": "Model type",
    "foundation_models_used_in_application": "Foundation models used in application",
    "input_data_source": "Input data source",
    "output_input_data_type": "Output/Input data type",
    "development_data_characterization": "Development data characterization",
    "training_data_period": "Development data characterization: time period of the data",
    "bias_mitigation_approaches": "Bias mitigation approaches",
    "ongoing_maintenance": "Ongoing maintenance",
    "security_and_compliance": "Security and compliance environment practices or accreditations",
    "transparency_intelligibility_and_accountability_mechanisms": (
        "Transparency, intelligibility, and accountability mechanisms"
    ),
    # Trust ingredients: transparency information
    "funding_source": "Funding source of the technical implementation",
    "third_party_information": "3rd party information, if applicable",
    "stakeholders_consulted": "Stakeholders consulted during design of intervention",
    # Key metrics
    "usefulness_usability_and_efficacy": "Usefulness, usability, and efficacy",
    "fairness_and_equity": "Fairness and equity",
    "safety_and_reliability": "Safety and reliability",
    # Resources
    "evaluation_references": "Evaluation references",
    "clinical_trials": "Clinical trials",
    "peer_reviewed_publications": "Peer reviewed publications",
    "reimbursement_status": "Reimbursement status",
    "patient_consent_or_disclosure_required": "Patient consent or disclosure required",
}
MAX_FIELD = 4000


def problems(card: Any) -> list[str]:
    """What is wrong with a model card (empty when valid): a flat object of known fields."""
    if not isinstance(card, dict):
        return ["Send the model card as an object of {field: text}."]
    found = []
    unknown = sorted(k for k in card if k not in FIELDS)
    if unknown:
        found.append(
            f"Unknown fields {unknown}; use the CHAI applied model card's: {list(FIELDS)}."
        )
    for key, value in card.items():
        if key in FIELDS and (not isinstance(value, str) or len(value) > MAX_FIELD):
            found.append(f"{key}: write text of at most {MAX_FIELD} characters.")
    return found


def clean(card: dict[str, str]) -> dict[str, str]:
    """Known fields in the card's order, empty ones left out."""
    return {k: card[k].strip() for k in FIELDS if k in card and card[k].strip()}
