"""An Open edX event-tracking backend that posts events to xapi-gateway.

Put this file on the LMS's PYTHONPATH and add to the LMS settings::

    EVENT_TRACKING_BACKENDS['xapi_gateway'] = {
        'ENGINE': 'xapi_gateway_backend.XapiGatewayBackend',
        'OPTIONS': {'url': 'https://gateway.example.org/ingest/edx', 'token': '...'},
    }

``send`` never blocks or raises into a learner's request: events go on a bounded
queue, and a daemon thread posts them as NDJSON batches with a bearer token,
retrying network errors, 429 and 5xx with capped exponential backoff and jitter
(honouring Retry-After). Events that cannot be queued or delivered are counted in
``stats`` and logged, never dropped silently. The token never appears in a log line.
Standard library only, so it installs into any edX Python.
"""
import atexit
import json
import logging
import queue
import random
import threading
import time
import urllib.error
import urllib.request

log = logging.getLogger(__name__)

# Statuses worth retrying: the gateway or the network will recover.
RETRYABLE = {429, 500, 502, 503, 504}


class XapiGatewayBackend:
    """Buffers tracking events and posts them to ``url`` in batches."""

    def __init__(self, url, token, batch_size=100, flush_interval=5.0, max_queue=10000,
                 max_retries=8, timeout=10.0, retry_base=1.0, retry_max=60.0, **_kwargs):
        self.url = url
        self._token = token
        self.batch_size = batch_size
        self.flush_interval = flush_interval
        self.max_retries = max_retries
        self.timeout = timeout
        self.retry_base = retry_base
        self.retry_max = retry_max
        self.stats = {'queued': 0, 'sent': 0, 'failed': 0, 'dropped': 0, 'rejected': 0}
        self._queue = queue.Queue(maxsize=max_queue)
        self._stop = threading.Event()
        self._idle = threading.Condition()
        # Events queued and not yet posted or given up: flush waits for none.
        self._pending = 0
        self._thread = threading.Thread(target=self._run, name='xapi-gateway-backend', daemon=True)
        self._thread.start()
        atexit.register(self.flush, 10.0)

    def send(self, event):
        """Queues one event; never blocks, never raises."""
        try:
            line = json.dumps(event, default=str)
        except (TypeError, ValueError) as err:
            self.stats['dropped'] += 1
            log.warning('xapi-gateway: event %s not serializable (%s); %d dropped so far',
                        _name(event), err, self.stats['dropped'])
            return
        with self._idle:
            try:
                self._queue.put_nowait(line)
            except queue.Full:
                line = None
            else:
                self._pending += 1
                self.stats['queued'] += 1
        if line is None:
            self.stats['dropped'] += 1
            log.warning('xapi-gateway: queue full, event %s dropped; %d dropped so far',
                        _name(event), self.stats['dropped'])

    def flush(self, timeout=None):
        """Waits until every queued event was posted (or failed); True when done in time."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._idle:
            while self._pending:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True

    def close(self, timeout=30.0):
        """Flushes, then stops the thread."""
        self.flush(timeout)
        self._stop.set()
        self._thread.join(timeout)

    def _run(self):
        while not self._stop.is_set():
            batch = self._take()
            if batch:
                try:
                    self._post(batch)
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
        batch = [first]
        while len(batch) < self.batch_size:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _post(self, batch):
        body = ('\n'.join(batch) + '\n').encode('utf-8')
        for attempt in range(self.max_retries + 1):
            status, retry_after, answer = self._request(body)
            if status == 202:
                self.stats['sent'] += len(batch)
                rejected = answer.get('rejected', 0) if isinstance(answer, dict) else 0
                if rejected:
                    self.stats['rejected'] += rejected
                    log.info('xapi-gateway: %d of %d events rejected: %s', rejected, len(batch), answer.get('errors'))
                return
            if status is not None and status not in RETRYABLE:
                self.stats['failed'] += len(batch)
                reason = 'the token is refused' if status in (401, 403) else 'not retried'
                log.error('xapi-gateway: batch of %d events refused with HTTP %d (%s)', len(batch), status, reason)
                return
            if attempt < self.max_retries:
                delay = retry_after if retry_after is not None else min(self.retry_max, self.retry_base * 2 ** attempt)
                time.sleep(delay * (0.5 + random.random() / 2) if retry_after is None else delay)
        self.stats['failed'] += len(batch)
        log.error('xapi-gateway: batch of %d events failed after %d attempts', len(batch), self.max_retries + 1)

    def _request(self, body):
        """(status or None for a network error, Retry-After seconds or None, JSON answer or None)."""
        request = urllib.request.Request(self.url, data=body, method='POST', headers={
            'Content-Type': 'application/x-ndjson',
            'Authorization': 'Bearer ' + self._token,
        })
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status, None, _json(response.read())
        except urllib.error.HTTPError as err:
            return err.code, _seconds(err.headers.get('Retry-After')), None
        except (urllib.error.URLError, OSError) as err:
            # The reason names the host, never the request headers.
            log.warning('xapi-gateway: network error (%s), will retry', getattr(err, 'reason', err))
            return None, None, None


def _name(event):
    return event.get('event_type') or event.get('name') if isinstance(event, dict) else type(event).__name__


def _json(raw):
    try:
        return json.loads(raw.decode('utf-8'))
    except ValueError:
        return None


def _seconds(value):
    try:
        return max(0.0, float(value))
    except (TypeError, ValueError):
        return None
