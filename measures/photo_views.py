"""The photo of a workshop's results, for those who may see the idea (media files are not
served otherwise)."""

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from halle_smartcity.object_storage import is_local

from .models import WorkshopResult

MAX_AGE = 3600


@require_safe
def workshop_photo(request, pk: int):
    result = get_object_or_404(WorkshopResult.objects.select_related("idea", "idea__call"), pk=pk)
    if not result.photo or not result.idea.is_public:
        raise Http404
    storage = result.photo.storage
    if is_local(storage):
        try:
            response = FileResponse(storage.open(result.photo.name, "rb"))
        except FileNotFoundError:
            raise Http404 from None
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response
    return HttpResponseRedirect(storage.url(result.photo.name))
