"""A webhook receiver for the tests: every request is checked with the
Standard Webhooks reference library; verified events are appended to OUT
as JSON lines, anything else is answered 400 and counted in OUT.rejected.
While the file DOWN exists it answers 503 to everything, as a receiver that
is down would. Prints the port once listening, then serves until killed.

    python webhook_receiver.py PORT SECRET OUT DOWN
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

PORT, SECRET, OUT, DOWN = int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), Path(sys.argv[4])
HOOK = Webhook(SECRET)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        if DOWN.exists():
            self.send_response(503)
            self.end_headers()
            return
        try:
            payload = HOOK.verify(body, dict(self.headers))
        except WebhookVerificationError as e:
            with open(str(OUT) + ".rejected", "a") as f:
                f.write(str(e) + "\n")
            self.send_response(400)
            self.end_headers()
            return
        with open(OUT, "a") as f:
            f.write(json.dumps({"id": self.headers["webhook-id"], "payload": payload}) + "\n")
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", PORT), Receiver)
print(server.server_address[1], flush=True)
server.serve_forever()
