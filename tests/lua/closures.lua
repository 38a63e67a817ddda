-- Functions: closures sharing upvalues, recursion, varargs, tail calls, coroutines as
-- generators and pipelines, error handling with pcall/error/xpcall, goto, integer and
-- bitwise arithmetic.
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
for _ = 1, 5 do inc() end
print("counter", get())

local fns = {}
for i = 1, 5 do fns[i] = function() return i * i end end
local s = 0
for i = 1, 5 do s = s + fns[i]() end
print("loop closures", s)

local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print("fib 24", fib(24))

local function sum(...)
  local t = 0
  for i = 1, select("#", ...) do t = t + (select(i, ...) or 0) end
  return t, select("#", ...)
end
print("varargs", sum(1, 2, nil, 4))

local function loop(n, acc) if n == 0 then return acc end return loop(n - 1, acc + n) end
print("tail calls", loop(200000, 0))

-- Generators.
local function range(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i) end end)
end
local total = 0
for v in range(1000) do total = total + v end
print("generator", total)

-- A producer/filter/consumer pipeline.
local function producer()
  return coroutine.create(function()
    for i = 1, 3000 do coroutine.yield(i) end
  end)
end
local function filter(src)
  return coroutine.create(function()
    while true do
      local ok, v = coroutine.resume(src)
      if not v then return end
      if v % 3 == 0 or v % 5 == 0 then coroutine.yield(v) end
    end
  end)
end
local f = filter(producer())
local acc, count = 0, 0
while true do
  local _, v = coroutine.resume(f)
  if not v then break end
  acc, count = acc + v, count + 1
end
print("pipeline", acc, count, coroutine.status(f))

local co = coroutine.create(function(a, b)
  local c = coroutine.yield(a + b)
  local d, e = coroutine.yield(c * 2)
  return d + e
end)
print("resume values", coroutine.resume(co, 1, 2))
print("resume values", coroutine.resume(co, 10))
print("resume values", coroutine.resume(co, 3, 4))
print("dead resume", coroutine.resume(co))
print("yield across pcall", coroutine.wrap(function()
  local ok, v = pcall(function() return coroutine.yield(5) + 1 end)
  return ok, v
end)())

-- Errors.
print("pcall string", pcall(error, "boom"))
print("pcall table", select(2, pcall(error, {code = 7})).code)
print("pcall level", pcall(function() error("lvl", 0) end))
print("runtime error", pcall(function() local x = nil; return x.field end))
print("xpcall", xpcall(function() error("deep") end, function(m) return "handled: " .. m end))
print("error in coroutine", coroutine.resume(coroutine.create(function() error("co err") end)))
print("tostring(nil)", tostring(nil), tostring(1.5), tostring(10 // 3), tostring(10 / 2))

-- goto and numeric edge cases.
local i = 0
::top::
i = i + 1
if i < 10 then goto top end
print("goto", i)
print("int", math.maxinteger + 1 == math.mininteger, 7 // -2, -7 // 2, 7 % -3, -7 % 3, 7.5 // 2)
print("bits", 0xF0 & 0x3C, 0xF0 | 0x0F, 0xF0 ~ 0xFF, ~0, 1 << 63, 1 << 64, -1 >> 60)
print("conv", math.tointeger(3.0), math.tointeger(3.5), 3 | 0, "10" + 5, "0x10" * 1, 2^53 + 1)
print("compare", 1 == 1.0, math.type(1), math.type(1.0), math.type("1"), 1 < 1.5)
