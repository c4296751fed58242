"""An Open edX event-tracking backend that posts events to xapi-gateway's /ingest/edx.

Put this file on the LMS's (and CMS's) PYTHONPATH and add to the settings::

    EVENT_TRACKING_BACKENDS['xapi_gateway'] = {
        'ENGINE': 'xapi_gateway_backend.XapiGatewayBackend',
        'OPTIONS': {'url': 'https://gateway.example.org/ingest/edx', 'token': '...'},
    }

``send`` never blocks or raises into a learner's request: events go on a bounded
queue, and a daemon thread posts them as NDJSON batches with a bearer token,
retrying network errors, 429 and 5xx with capped exponential backoff and jitter
(honouring Retry-After). Delivery is at least once: the gateway turns a repeated
event into the same statement. Events that cannot be queued or delivered are counted
in ``stats`` and logged, never dropped silently. The token never appears in a log.
Standard library only, so it installs into any edX Python.
"""
import atexit
import datetime
import http.client
import json
import logging
import os
import queue
import random
import threading
import time
import urllib.error
import urllib.request

log = logging.getLogger(__name__)

# Statuses worth retrying: the gateway or the network will recover.
RETRYABLE = {408, 429, 500, 502, 503, 504}
_WHY = {300: 'redirected: fix the url', 401: 'the token is refused', 403: 'the token is refused',
        413: 'the batch is over the gateway BODY_LIMIT or INGEST_MAX_EVENTS: lower batch_size'}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib follows a redirected POST as a GET that keeps the token, maybe to another
    # host: a redirect is refused, to be fixed in `url`.
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


class XapiGatewayBackend:
    """Buffers tracking events and posts them to ``url`` in batches."""

    def __init__(self, url, token, batch_size=100, flush_interval=5.0, max_queue=10000,
                 max_retries=8, timeout=10.0, retry_base=1.0, retry_max=60.0, **_kwargs):
        self.url = url
        self._token = token
        self.batch_size = max(1, int(batch_size))
        self.flush_interval = flush_interval
        self.max_queue = max_queue
        self.max_retries = max_retries
        self.timeout = timeout
        self.retry_base = retry_base
        self.retry_max = retry_max
        self.stats = {'queued': 0, 'sent': 0, 'failed': 0, 'dropped': 0, 'rejected': 0}
        self._closed = False
        self._start()
        atexit.register(self.flush, 10.0)
        # Threads do not survive fork (gunicorn --preload, Celery prefork): a child gets its
        # own queue and worker, and leaves what the parent had queued to the parent.
        if hasattr(os, 'register_at_fork'):
            os.register_at_fork(after_in_child=lambda: self._closed or self._start())

    def _start(self):
        self._queue = queue.Queue(maxsize=self.max_queue)
        self._stop = threading.Event()
        self._idle = threading.Condition()
        self._pending = 0  # events queued and not yet posted or given up
        self._thread = threading.Thread(target=self._run, name='xapi-gateway-backend', daemon=True)
        self._thread.start()

    def send(self, event):
        """Queues one event; never blocks, never raises."""
        try:
            line = json.dumps(event, default=_jsonable)
        except Exception as err:  # a circular or odd value: this event alone is lost
            line, why = None, 'not serializable (%s)' % type(err).__name__
        with self._idle:
            try:
                if line is not None and not self._closed:
                    self._queue.put_nowait(line)
                    self._pending += 1
                    self.stats['queued'] += 1
                    return
                why = why if line is None else 'backend closed'
            except queue.Full:
                why = 'queue full'
            self.stats['dropped'] += 1
            dropped = self.stats['dropped']
        log.warning('xapi-gateway: event %s dropped, %s; %d dropped so far', _name(event), why, dropped)

    def flush(self, timeout=None):
        """Waits until every queued event was posted (or failed); True when done in time."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._idle:
            while self._pending and self._thread.is_alive():
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return not self._pending

    def close(self, timeout=30.0):
        """Flushes, then stops the thread; later events are dropped (and counted)."""
        if not self.flush(timeout):
            log.error('xapi-gateway: closed with %d events not delivered', self._pending)
        self._closed = True
        self._stop.set()
        with self._idle:
            if not self._queue.full():
                self._queue.put_nowait(None)  # wakes the worker at once
        self._thread.join(timeout)

    def _run(self):
        while not self._stop.is_set():
            batch = self._take()
            if not batch:
                continue
            try:
                self._post(batch)
            except Exception as err:  # a bug must not kill the worker: the rest still flows
                self.stats['failed'] += len(batch)
                log.error('xapi-gateway: batch of %d events lost (%s)', len(batch), type(err).__name__)
            finally:
                with self._idle:
                    self._pending -= len(batch)
                    self._idle.notify_all()

    def _take(self):
        """Up to batch_size events, waiting at most flush_interval for the first."""
        try:
            first = self._queue.get(timeout=self.flush_interval)
        except queue.Empty:
            return []
        batch = [] if first is None else [first]
        while len(batch) < self.batch_size:
            try:
                line = self._queue.get_nowait()
            except queue.Empty:
                break
            if line is not None:
                batch.append(line)
        return batch

    def _post(self, batch):  # only this thread writes sent, failed and rejected
        body = ('\n'.join(batch) + '\n').encode('utf-8')
        for attempt in range(self.max_retries + 1):
            status, retry_after, answer = self._request(body)
            if status is not None and 200 <= status < 300:
                answer = answer if isinstance(answer, dict) else {}
                self.stats['sent'] += int(answer.get('received', len(batch)))
                rejected = int(answer.get('rejected') or 0)
                if rejected:
                    errors = answer.get('errors')
                    self.stats['rejected'] += rejected
                    log.info('xapi-gateway: %d of %d events rejected by the gateway: %s', rejected, len(batch),
                             self._safe(json.dumps(errors[:5] if isinstance(errors, list) else errors)))
                return
            if status is not None and status not in RETRYABLE:
                self.stats['failed'] += len(batch)
                detail = answer.get('detail') if isinstance(answer, dict) else None
                log.error('xapi-gateway: batch of %d events refused with HTTP %d, %s (%s)', len(batch), status,
                          _WHY.get(status // 100 * 100 if status < 400 else status, 'not retried'),
                          self._safe(str(detail or 'no detail')))
                return
            if attempt < self.max_retries:
                delay = min(self.retry_max, self.retry_base * 2 ** attempt)
                delay = delay * (0.5 + random.random() / 2) if retry_after is None else min(retry_after, self.retry_max)
                what = 'HTTP %d' % status if status is not None else 'network error (%s)' % answer
                log.warning('xapi-gateway: %s, retry %d of %d in %.1f s', what, attempt + 1, self.max_retries, delay)
                if self._stop.wait(delay):
                    break
        self.stats['failed'] += len(batch)
        log.error('xapi-gateway: batch of %d events failed after %d attempts', len(batch), attempt + 1)

    def _request(self, body):
        """(status or None on a network error, Retry-After seconds, JSON answer or the error)."""
        request = urllib.request.Request(self.url, data=body, method='POST', headers={
            'Content-Type': 'application/x-ndjson',
            'Authorization': 'Bearer ' + self._token,
        })
        try:
            with _OPENER.open(request, timeout=self.timeout) as response:
                return response.status, None, _json(response.read())
        except urllib.error.HTTPError as err:
            try:
                answer = _json(err.read(4000))
                err.close()
            except Exception:
                answer = None
            return err.code, _seconds(err.headers.get('Retry-After')), answer
        except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
            # The reason names the host or the socket error, never the request headers.
            return None, None, self._safe(str(getattr(err, 'reason', err)) or type(err).__name__)

    def _safe(self, text):
        """`text` without the token, were a server or proxy to echo it."""
        return text.replace(self._token, '***') if self._token else text


def _jsonable(value):  # datetimes in ISO 8601, as edX's tracking log writes them
    return value.isoformat() if isinstance(value, (datetime.date, datetime.time)) else str(value)


def _name(event):
    return (event.get('event_type') or event.get('name')) if isinstance(event, dict) else type(event).__name__


def _json(raw):
    try:
        return json.loads(raw.decode('utf-8'))
    except (ValueError, AttributeError):
        return None


def _seconds(value):  # Retry-After in seconds; an HTTP date is ignored (backoff applies)
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None
