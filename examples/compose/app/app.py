"""The example app: an ordinary OpenAI SDK client. It knows nothing of Sluice except the base
URL (OPENAI_BASE_URL=http://127.0.0.1:4000/v1), and it holds no provider key."""

import os
import time

from openai import OpenAI

client = OpenAI()  # reads OPENAI_BASE_URL and OPENAI_API_KEY from the environment
interval = float(os.environ.get("INTERVAL_SECONDS", "5"))
model = os.environ.get("MODEL", "gpt-4o-mini")
iterations = int(os.environ.get("ITERATIONS", "0"))  # 0: forever
failures = 0

done = 0
while iterations == 0 or done < iterations:
    done += 1
    try:
        answer = client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "Say hello to the sidecar."}]
        )
        print(f"chat: {answer.choices[0].message.content!r} ({answer.usage.total_tokens} tokens)", flush=True)
        print("stream: ", end="", flush=True)
        for chunk in client.chat.completions.create(
            model=model, messages=[{"role": "user", "content": "Stream it"}], stream=True
        ):
            if chunk.choices:
                print(chunk.choices[0].delta.content or "", end="", flush=True)
        print(flush=True)
    except Exception as error:  # keep looping: the point is to watch Sluice handle it
        failures += 1
        print(f"error: {error}", flush=True)
    if iterations == 0 or done < iterations:
        time.sleep(interval)

raise SystemExit(1 if failures else 0)
