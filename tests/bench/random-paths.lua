-- wrk script: each request asks for one of the paths in the file named by WRK_PATHS, at random.
local paths = {}

init = function(args)
    for line in io.lines(os.getenv("WRK_PATHS")) do
        paths[#paths + 1] = line
    end
    math.randomseed(os.time() + math.floor(os.clock() * 1e6))
end

request = function()
    return wrk.format("GET", paths[math.random(#paths)])
end
