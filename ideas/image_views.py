"""Idea images, for those who may see the idea. The one way to an uploaded file: a draft's
images stay its author's, whether the files lie in MEDIA_ROOT or in a private bucket."""

from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from halle_smartcity.object_storage import is_local

from . import selectors

# URL word -> the IdeaImage field: 2000 px, 640 px and 320 px wide.
VARIANTS = {"gross": "image", "mittel": "thumbnail", "klein": "thumbnail_small"}
PUBLIC_MAX_AGE = 3600
PRIVATE_MAX_AGE = 300


@require_safe
def idea_image(request, pk: int, variant: str):
    """Stream the file (file system) or redirect to a signed URL of a few minutes (object
    storage); 404 for an image the visitor may not see."""
    if variant not in VARIANTS:
        raise Http404
    image = selectors.image_for_viewer(pk=pk, user=request.user)
    # Images stored before small thumbnails existed have none: the 640 px one stands in; until
    # the thumbnails are made (ideas/thumbnails.py) the image itself.
    file = getattr(image, VARIANTS[variant]) or image.thumbnail or image.image
    if not file:
        raise Http404
    storage = file.storage
    if is_local(storage):
        try:
            response = FileResponse(storage.open(file.name, "rb"))
        except FileNotFoundError:
            raise Http404 from None
        if image.idea.is_public:
            patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
        else:
            patch_cache_control(response, private=True, max_age=PRIVATE_MAX_AGE)
        return response
    response = HttpResponseRedirect(storage.url(file.name))
    # The browser may reuse the redirect while the signed URL it names is still valid.
    expiry = getattr(storage, "querystring_expire", 0)
    patch_cache_control(response, private=True, max_age=max(expiry // 2, 0))
    return response
