"""Comments are never lost: they can be edited or withdrawn (kept, audited), and the comment or pin
a rating used to carry (and lose on re-rating) becomes a comment row of its own."""

from django.db import migrations, models


def rating_notes_to_comments(apps, schema_editor):
    """Copy each rating's comment/pin into a Comment (the rating keeps its copy, which evidence
    views of older backlog items show); from now on a rate frame's note is stored only there."""
    Rating = apps.get_model("feedback", "Rating")
    Comment = apps.get_model("feedback", "Comment")
    rows = Rating.objects.exclude(comment="", pin_x=None).order_by("id")
    batch = []
    for r in rows.iterator(chunk_size=500):
        batch.append(
            Comment(
                session_id=r.session_id,
                screen_id=r.screen_id,
                participant_id=r.participant_id,
                text=r.comment,
                pin_x=r.pin_x,
                pin_y=r.pin_y,
                region=r.region,
                phi_redacted=r.phi_redacted,
            )
        )
        if len(batch) >= 500:
            Comment.objects.bulk_create(batch)
            batch = []
    Comment.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0009_semantic"),
    ]

    operations = [
        migrations.AddField(
            model_name="comment",
            name="edited_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="comment",
            name="withdrawn_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(rating_notes_to_comments, migrations.RunPython.noop),
    ]
