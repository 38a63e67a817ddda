-- CPU-heavy Lua for vm's benchmarks: recursion, tables, strings, closures and sorting.
-- arg[1] scales the work; the output is a checksum of everything computed.
local n = tonumber(arg[1]) or 1

local function fib(k)
  if k < 2 then return k end
  return fib(k - 1) + fib(k - 2)
end

local function sieve(limit)
  local composite, count = {}, 0
  for i = 2, limit do
    if not composite[i] then
      count = count + 1
      for j = i * i, limit, i do composite[j] = true end
    end
  end
  return count
end

local function strings(rounds)
  local parts = {}
  for i = 1, rounds do
    parts[#parts + 1] = string.format("%d:%x", i, i * 7919)
  end
  local s = table.concat(parts, ",")
  local sum = 0
  for a, b in s:gmatch("(%d+):(%x+)") do
    sum = (sum + tonumber(a) * 3 + tonumber(b, 16)) % 1000000007
  end
  return sum + #s:upper():gsub("A", "z")
end

local function sorting(count)
  local t, seed = {}, 42
  for i = 1, count do
    seed = (seed * 1103515245 + 12345) % 2147483648
    t[i] = seed
  end
  table.sort(t, function(a, b) return a > b end)
  local acc = 0
  for i = 1, count, 97 do acc = (acc * 31 + t[i]) % 1000000007 end
  return acc
end

local function closures(count)
  local fs = {}
  for i = 1, 64 do fs[i] = function(x) return (x * i + 1) % 65521 end end
  local x = 1
  for i = 1, count do x = fs[(i % 64) + 1](x) end
  return x
end

local total = 0
for round = 1, n do
  total = (total + fib(22) + sieve(60000) + strings(6000) + sorting(20000) + closures(200000) + round) % 1000000007
end
print(string.format("lua cpu: %d rounds, checksum %d", n, total))
