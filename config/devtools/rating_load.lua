-- Readers changing their ratings through the book page's form, for wrk (see rating_load in
-- config/devtools/benchmark.py): wrk -s rating_load.lua URL -- FILE THREADS.
--
-- FILE's first line holds the ten ratings a form offers, tab-separated, lowest first; each
-- further line a reader: the form's path, its "next", the Cookie header (session and CSRF
-- cookies), the form's CSRF token and the rating the reader gave, tab-separated. Each of the
-- THREADS threads takes every THREADS-th reader and posts for each in turn the rating one
-- half star above the one it posted last (after five stars, half a star), so that every post
-- changes a rating. The answers are counted: a redirect (302 or 303) is a rating changed,
-- 429 a post the rate limit refused, anything else an error.

local threads = {}

function setup(thread)
  thread:set("number", #threads)
  table.insert(threads, thread)
end

function init(args)
  local file, count = args[1], tonumber(args[2])
  local line_number = 0
  writers, ratings = {}, {}
  changed, refused, other = 0, 0, 0
  for line in io.lines(file) do
    if line_number == 0 then
      for figure in line:gmatch("[^\t]+") do
        table.insert(ratings, figure)
      end
    elseif (line_number - 1) % count == number then
      local path, back, cookie, token, stars =
        line:match("^([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)\t([^\t]+)$")
      local at = 1
      for index, figure in ipairs(ratings) do
        if figure == stars then
          at = index
        end
      end
      table.insert(writers, {
        path = path,
        headers = {
          ["Cookie"] = cookie,
          ["Content-Type"] = "application/x-www-form-urlencoded",
        },
        form = "csrfmiddlewaretoken=" .. token .. "&next=" .. back .. "&stars=",
        at = at,
      })
    end
    line_number = line_number + 1
  end
  turn = 0
end

function request()
  turn = turn + 1
  local writer = writers[(turn - 1) % #writers + 1]
  writer.at = writer.at % #ratings + 1
  return wrk.format("POST", writer.path, writer.headers, writer.form .. ratings[writer.at])
end

function response(status, headers, body)
  if status == 302 or status == 303 then
    changed = changed + 1
  elseif status == 429 then
    refused = refused + 1
  else
    other = other + 1
  end
end

function done(summary, latency, requests)
  local totals = {changed = 0, refused = 0, other = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  io.write(string.format(
    "rating posts: changed %d refused %d other %d in %.3f s\n",
    totals.changed, totals.refused, totals.other, summary.duration / 1e6
  ))
end
