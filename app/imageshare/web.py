"""Flask application factory, routes and error pages."""

import logging
import re
import tempfile
import time
import uuid

from flask import Flask, Request, Response, abort, g, redirect, render_template, request, url_for
from PIL import Image
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix

from . import keys, security
from .config import Settings
from .contract import HEALTH_CHECK_PATH, READINESS_PATH, REQUEST_LOG, UPLOAD_PATH
from .images import CONTENT_TYPES, RejectedImage, check_image, sanitize_filename
from .logs import configure_logging
from .storage import ImageStore, ObjectNotFound, StorageUnavailable, make_s3_client

log = logging.getLogger("imageshare")

PAGE_SIZE = 24
# Room for the multipart envelope and the CSRF field around the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024
# Werkzeug's multipart parser reads the body in chunks of this size (MultiPartParser buffer_size).
FORM_READ_BYTES = 64 * 1024
_TRACE_ID_RE = re.compile(r"[A-Za-z0-9=;.-]{1,128}")

ERROR_TITLES = {
    400: "Bad request",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    413: "File too large",
    415: "Unsupported file type",
    500: "Internal error",
    503: "Storage unavailable",
}


class UploadRequest(Request):
    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        # Werkzeug would spool to memory first; an anonymous temporary file (O_TMPFILE: it never has a name and
        # vanishes when closed or when the process dies) keeps memory flat and lets Pillow seek while decoding.
        return tempfile.TemporaryFile(prefix="upload-")


def create_app(settings: Settings | None = None, s3_client=None) -> Flask:
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)
    Image.MAX_IMAGE_PIXELS = settings.max_image_megapixels * 1_000_000

    app = Flask(__name__)
    app.request_class = UploadRequest
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_upload_bytes + FORM_OVERHEAD_BYTES,
        # Werkzeug's multipart decoder applies this limit to its whole input buffer, file data included, which it
        # fills 64 KiB at a time (werkzeug/sansio/multipart.py receive_data): below that every file over ~16 KiB
        # was refused with 413. Two reads' worth still bounds the text fields.
        MAX_FORM_MEMORY_SIZE=FORM_READ_BYTES * 2,
        MAX_FORM_PARTS=8,
        TEMPLATES_AUTO_RELOAD=False,
    )
    # The ALB is the one proxy we trust. It appends the client's address to X-Forwarded-For and EB's nginx then
    # appends the ALB's ($proxy_add_x_forwarded_for in its default 00_application.conf), so the client is the
    # second entry from the right; nginx does not touch X-Forwarded-Proto, which only the ALB sets.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=2, x_proto=1)
    store = ImageStore(s3_client or make_s3_client(settings), settings.bucket, settings.kms_key_arn)
    app.extensions["image_store"] = store

    _register_request_log(app)
    _register_upload(app, store, settings)
    _register_gallery(app, store)
    _register_images(app, store)
    _register_health(app, store)
    _register_errors(app, settings)
    return app


def _too_large_message(settings: Settings) -> str:
    return f"The file is larger than the {settings.max_upload_mb} MB limit."


def _register_request_log(app: Flask) -> None:
    """One JSON request line per request (the shape the stack's upload metric filters read: contract.json)."""

    @app.before_request
    def start_request_log():
        g.started = time.perf_counter()
        trace = request.headers.get("X-Amzn-Trace-Id", "")
        g.request_id = trace if _TRACE_ID_RE.fullmatch(trace) else uuid.uuid4().hex
        g.object_key = None

    @app.after_request
    def finish_request(response: Response) -> Response:
        response.headers["X-Request-Id"] = g.get("request_id", "")
        log.info(
            REQUEST_LOG["message"],
            extra={
                "request_id": g.get("request_id"),
                "method": request.method,
                REQUEST_LOG["routeField"]: request.url_rule.rule if request.url_rule else None,
                "path": request.path,
                REQUEST_LOG["statusField"]: response.status_code,
                "latency_ms": round((time.perf_counter() - g.get("started", time.perf_counter())) * 1000, 1),
                "object_key": g.get("object_key"),
            },
        )
        return security.add_security_headers(request, response)


def _register_upload(app: Flask, store: ImageStore, settings: Settings) -> None:
    """The upload form and the upload itself."""
    max_pixels = settings.max_image_megapixels * 1_000_000
    too_large_message = _too_large_message(settings)

    @app.get("/")
    def index():
        token = security.csrf_token_for(request)
        response = Response(
            render_template("index.html", csrf_token=token, max_upload_mb=settings.max_upload_mb), mimetype="text/html"
        )
        security.set_csrf_cookie(request, response, token)
        return response

    @app.post(UPLOAD_PATH)
    def upload():
        security.check_request_origin(request)
        security.check_csrf_token(request)
        upload_file = request.files.get("file")
        if upload_file is None or not upload_file.filename:
            abort(400, "Choose an image file to upload.")
        stream = upload_file.stream
        size = stream.seek(0, 2)
        if size == 0:
            abort(400, "The file is empty.")
        if size > settings.max_upload_bytes:
            abort(413, too_large_message)
        try:
            checked = check_image(stream, max_pixels)
        except RejectedImage as exc:
            abort(exc.status, str(exc))
        image_id = keys.new_image_id()
        key = keys.upload_key(image_id, checked.ext)
        g.object_key = key
        store.put_image(key, stream, checked.length, checked.content_type, sanitize_filename(upload_file.filename))
        try:
            store.put_thumbnail(keys.thumb_key(image_id), checked.thumbnail)
        except StorageUnavailable:
            # No orphan originals: the gallery only shows uploads that have thumbnails.
            try:
                store.delete(key)
            except StorageUnavailable:
                log.error("could not remove original after thumbnail failure", extra={"object_key": key})
            raise
        log.info("stored upload", extra={"object_key": key})
        return redirect(url_for("gallery", uploaded=image_id), code=303)


def _register_gallery(app: Flask, store: ImageStore) -> None:
    """The gallery of thumbnails, newest first, a page at a time."""

    @app.get("/pics")
    def gallery():
        after = request.args.get("after")
        if after is not None and not keys.is_image_id(after):
            abort(400, "The page link is invalid.")
        page = store.list_page(PAGE_SIZE, after)
        uploaded_name = None
        uploaded = request.args.get("uploaded", "")
        if keys.is_image_id(uploaded):
            uploaded_key = store.find_upload_key(uploaded)
            if uploaded_key:
                try:
                    uploaded_name = store.original_name(uploaded_key)
                except ObjectNotFound:
                    uploaded_name = None
        return render_template(
            "gallery.html",
            items=[{"id": i, "thumb": keys.thumb_key(i)} for i in page.image_ids],
            next_after=page.next_after,
            is_first_page=after is None,
            uploaded_name=uploaded_name,
        )


def _register_images(app: Flask, store: ImageStore) -> None:
    """The full-size images and the thumbnails, streamed from the bucket."""

    @app.get("/view/<image_id>")
    def view_full(image_id: str):
        """Thumbnails link here; it resolves the original's extension without the gallery heading every object."""
        if not keys.is_image_id(image_id):
            abort(404)
        key = store.find_upload_key(image_id)
        if key is None:
            abort(404)
        return redirect(url_for("image", key=key), code=302)

    @app.get("/images/<path:key>")
    def image(key: str):
        if not keys.is_servable_key(key):
            abort(404)
        g.object_key = key
        try:
            obj = store.open(key, request.headers.get("If-None-Match"))
        except ObjectNotFound:
            abort(404)
        if obj is None:
            return Response(status=304)
        ext = key.rsplit(".", 1)[1]
        # The type comes from the key this app generated, not from whatever metadata the object carries.
        response = Response(obj.body, mimetype=CONTENT_TYPES[ext], direct_passthrough=True)
        response.headers["Content-Length"] = str(obj.content_length)
        response.headers["ETag"] = obj.etag
        response.headers["Content-Disposition"] = f'inline; filename="{key.rsplit("/", 1)[1]}"'
        # Keys are never reused, so the bytes behind a URL never change; private keeps shared caches out.
        response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
        return response

    @app.get("/favicon.ico")
    def favicon():
        # Browsers ask for it on every visit; answering "nothing" keeps 404s out of logs and consoles.
        return Response(status=204, headers={"Cache-Control": "public, max-age=86400"})


def _register_health(app: Flask, store: ImageStore) -> None:
    """Liveness (no dependency called) and readiness (the bucket answers)."""

    @app.get(HEALTH_CHECK_PATH)
    def healthz():
        return {"status": "ok"}

    @app.get(READINESS_PATH)
    def readyz():
        try:
            store.check_bucket()
        except (StorageUnavailable, ObjectNotFound) as exc:
            code = getattr(exc, "code", "NoSuchBucket")
            log.warning("storage not ready", extra={"aws_error_code": code})
            return {"status": "unavailable", "reason": "storage"}, 503
        return {"status": "ready"}


def _register_errors(app: Flask, settings: Settings) -> None:
    """Error pages; storage failures and unexpected errors are logged."""
    too_large_message = _too_large_message(settings)

    @app.errorhandler(StorageUnavailable)
    def storage_unavailable(exc: StorageUnavailable):
        log.error(
            "storage call failed: %s",
            exc.operation,
            extra={"aws_error_code": exc.code, "object_key": g.get("object_key")},
        )
        return _error_page(503, "Image storage is unavailable right now. Please try again in a minute.")

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if isinstance(exc, RequestEntityTooLarge) and exc.description == RequestEntityTooLarge.description:
            return _error_page(413, too_large_message)
        message = "There is nothing at this address." if exc.code == 404 else exc.description
        return _error_page(exc.code or 500, message)

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):
        log.exception("unhandled error")
        return _error_page(500, "Something went wrong on our side. The error has been logged.")


def _error_page(status: int, message: str) -> Response:
    title = ERROR_TITLES.get(status, "Error")
    body = render_template("error.html", status=status, title=title, message=message)
    return Response(body, status=status, mimetype="text/html")
