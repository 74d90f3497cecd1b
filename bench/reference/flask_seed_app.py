"""The seed lab's original section-1 app, as its author described it: Flask, one global seed.

Used only by `npm run bench` as the baseline the Polka seed app is measured against.
Run: python3 flask_seed_app.py <host> <port>
"""
import sys

from flask import Flask, request

app = Flask(__name__)
seed = 0


@app.route("/", methods=["GET", "POST"])
def index():
    global seed
    if request.method == "POST":
        seed = request.get_json()["num"]
        return str(seed)
    return str(seed)


if __name__ == "__main__":
    host, port = sys.argv[1], int(sys.argv[2])
    print(f"flask seed app listening on http://{host}:{port}", flush=True)
    app.run(host=host, port=port)
