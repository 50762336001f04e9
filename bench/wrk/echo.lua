-- wrk script for POST /echo: a fixed JSON body of about 100 bytes.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"id":12345,"name":"benchmark","tags":["swift","node","http"],"payload":"abcdefghijklmnopqrstuvwxyz"}'
