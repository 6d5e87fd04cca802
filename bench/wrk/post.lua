-- The minimal form POST to the hello-world app.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "stars=4"
