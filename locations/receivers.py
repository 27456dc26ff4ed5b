from locations.models import Floor
from locations.services import delete_file_on_commit


def delete_plan_file(sender, instance: Floor, **kwargs) -> None:
    """Delete a deleted floor's plan file once the deletion commits."""
    if instance.plan_image:
        delete_file_on_commit(instance.plan_image.storage, instance.plan_image.name)
