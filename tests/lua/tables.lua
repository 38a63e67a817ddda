-- Tables and metatables: array and hash parts, insert/remove/move/sort with
-- comparators, a class hierarchy with __index chains, operator metamethods, weak
-- tables and the garbage collector, and a priority queue under load.
local function show(...) print(...) end

local t = {}
for i = 1, 10000 do t[i] = (i * 7919) % 10007 end
table.sort(t)
show("sorted ends", t[1], t[#t], #t)
table.sort(t, function(a, b) return a > b end)
show("reverse ends", t[1], t[#t])
table.insert(t, 1, -1)
table.insert(t, 99)
show("after insert", t[1], t[2], t[#t], #t)
show("removed", table.remove(t, 1), table.remove(t), #t)
local moved = table.move(t, 1, 5, 3, {})
show("moved", moved[3], moved[7], #moved)
show("concat", table.concat({1, 2, "three", 4.5}, "-"))
show("unpack", table.unpack({10, 20, 30}, 2))
show("pack n", table.pack(1, nil, 3).n)

-- Mixed keys; iterate in sorted key order for determinism.
local mixed = {10, 20, 30, x = 1, y = 2, [2.5] = "half", [true] = "yes"}
local keys = {}
for k in pairs(mixed) do keys[#keys + 1] = tostring(k) end
table.sort(keys)
show("keys", table.concat(keys, " "))
show("len", #mixed, mixed[2.5], mixed[true], mixed[4] == nil)

-- Classes.
local Animal = {}
Animal.__index = Animal
function Animal.new(name, sound) return setmetatable({name = name, sound = sound}, Animal) end
function Animal:speak() return self.name .. " says " .. self.sound end
local Dog = setmetatable({}, {__index = Animal})
Dog.__index = Dog
function Dog.new(name) local d = Animal.new(name, "woof"); return setmetatable(d, Dog) end
function Dog:fetch() return self.name .. " fetches" end
local d = Dog.new("rex")
show(d:speak(), d:fetch(), getmetatable(d) == Dog)

-- Operators.
local V = {}
V.__index = V
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
V.__add = function(a, b) return vec(a.x + b.x, a.y + b.y) end
V.__mul = function(a, k) return vec(a.x * k, a.y * k) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__lt = function(a, b) return a.x * a.x + a.y * a.y < b.x * b.x + b.y * b.y end
V.__le = function(a, b) return not (b < a) end
V.__tostring = function(a) return "(" .. a.x .. "," .. a.y .. ")" end
V.__len = function(a) return math.sqrt(a.x * a.x + a.y * a.y) end
V.__call = function(a, k) return a.x * k + a.y end
V.__concat = function(a, b) return tostring(a) .. "++" .. tostring(b) end
local a, b = vec(1, 2), vec(3, 4)
show(tostring(a + b), tostring(a * 3), a == vec(1, 2), a < b, b <= a, #b, a(10), a .. b)

-- __newindex proxy counting writes; __index function with defaults.
local writes = 0
local store = {}
local proxy = setmetatable({}, {
  __index = function(_, k) return store[k] or ("default:" .. k) end,
  __newindex = function(_, k, v) writes = writes + 1; store[k] = v end,
})
proxy.a = 1; proxy.b = 2; proxy.a = 3
show("proxy", proxy.a, proxy.b, proxy.zz, writes, rawget(proxy, "a"))

-- Weak tables lose unreferenced keys after a full collection.
local weak = setmetatable({}, {__mode = "k"})
do
  for i = 1, 100 do weak[{}] = i end
end
local keep = {}
weak[keep] = "kept"
collectgarbage("collect")
local left = 0
for _ in pairs(weak) do left = left + 1 end
show("weak entries after gc", left, weak[keep])

-- A binary heap as a priority queue.
local heap = {}
local function push(v)
  heap[#heap + 1] = v
  local i = #heap
  while i > 1 and heap[i // 2] > heap[i] do
    heap[i], heap[i // 2] = heap[i // 2], heap[i]
    i = i // 2
  end
end
local function pop()
  local top = heap[1]
  heap[1] = heap[#heap]
  heap[#heap] = nil
  local i = 1
  while true do
    local l, r, m = 2 * i, 2 * i + 1, i
    if l <= #heap and heap[l] < heap[m] then m = l end
    if r <= #heap and heap[r] < heap[m] then m = r end
    if m == i then break end
    heap[i], heap[m] = heap[m], heap[i]
    i = m
  end
  return top
end
math.randomseed(7)
for _ = 1, 20000 do push(math.random(1, 1000000)) end
local prev, ok, acc = -1, true, 0
for i = 1, 20000 do
  local v = pop()
  ok = ok and v >= prev
  prev = v
  acc = (acc * 31 + v) % 1000000007
end
show("heap ordered", ok, acc)
