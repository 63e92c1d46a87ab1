"""What ``okr plan`` says about the files it wrote, kept and left behind."""

from __future__ import annotations

from okrcli.planning import PlanDraft
from okrcli.render.text import plural


def report_lines(draft: PlanDraft, written: list[bool], *, dry_run: bool) -> list[str]:
    source, target = draft.source, draft.target
    verb = "would write" if dry_run else "wrote"
    report = [f"okr plan {target} from {source} (judged as of {source.last_day}, its last day):"]
    for plan, done in zip(draft.plans, written, strict=True):
        n_obj = len(plan.objectives)
        n_kr = sum(len(c.krs) for c in plan.objectives)
        summary = f"{plural(n_obj, 'objective')}, {plural(n_kr, 'key result')} carried over"
        if done:
            report.append(f"  {verb} {plan.path}: {summary}")
        else:
            report.append(f"  kept {plan.path}: it exists (nothing written)")
    for team, path in draft.kept:
        report.append(
            f"  kept {path}: team {team} already has a plan for {target} (nothing written)"
        )
    for team in draft.nothing:
        report.append(f"  nothing to carry over for team {team}: everything was done in {source}")
    if draft.left_behind:
        why = (
            f"done or dropped in {source}"
            if any(x.endswith(", dropped)") for x in draft.left_behind)
            else f"done in {source}"
        )
        report.append(f"  left behind ({why}): " + ", ".join(draft.left_behind))
    for old, new in draft.renamed.items():
        report.append(f"  objective {old} is {new} in {target}: {old} is already used there")
    for old, new in draft.renamed_krs.items():
        report.append(f"  KR {old} is {new} in {target}: {old} is already used there")
    return report
