-- Run by scripts/quickstart: Lua 5.4, built for RISC-V, running under vm.
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
local words = {}
for w in ("the quick brown fox jumps over the lazy dog"):gmatch("%a+") do
  words[#words + 1] = w:upper()
end
table.sort(words)
print(("Hello from %s on a RISC-V guest"):format(_VERSION))
print("fib(25) = " .. fib(25))
print("sorted: " .. table.concat(words, " "))
print(("pi ~ %.10f, 2^0.5 = %.17g"):format(math.pi, math.sqrt(2)))
