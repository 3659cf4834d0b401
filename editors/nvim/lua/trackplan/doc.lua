--- `:TrackplanDoc`: writes the dictionary of the current plan with `trackplan doc` (one HTML page: the
--- map of goals, KPIs, flows and events, a page per entity, search and history) and opens it in the
--- browser. Works on Neovim 0.7 and later.

local M = {}

local function notify(message, level)
  vim.notify('trackplan: ' .. message, level or vim.log.levels.INFO)
end

--- The plan of the current buffer, else the plan of the current folder.
---@return string|nil
function M.current_root()
  local trackplan = require('trackplan')
  return trackplan.buffer_root(0) or trackplan.find_root(vim.fn.getcwd() .. '/.')
end

--- Where the page of a plan is written: Neovim's cache folder, one file per plan folder.
---@param root string
---@return string
function M.output_path(root)
  local dir = vim.fn.stdpath('cache') .. '/trackplan'
  vim.fn.mkdir(dir, 'p')
  local name = vim.fn.fnamemodify(root, ':t'):gsub('[^%w._-]', '-')
  if name == '' then
    name = 'plan'
  end
  -- Two plans of the same folder name in different places get different files.
  local hash = vim.fn.sha256(root):sub(1, 8)
  return ('%s/%s-%s.html'):format(dir, name, hash)
end

--- Opens a file in the browser: `vim.ui.open` where Neovim has it (0.10+), else the system's opener.
---@param path string
function M.open_in_browser(path)
  if vim.ui.open then
    vim.ui.open(path)
    return
  end
  local cmd
  if vim.fn.has('mac') == 1 then
    cmd = { 'open', path }
  elseif vim.fn.has('win32') == 1 then
    cmd = { 'cmd.exe', '/c', 'start', '', path }
  else
    cmd = { 'xdg-open', path }
  end
  if vim.fn.executable(cmd[1]) ~= 1 then
    notify(('wrote %s; open it in a browser (%s was not found)'):format(path, cmd[1]), vim.log.levels.WARN)
    return
  end
  vim.fn.jobstart(cmd, { detach = true })
end

--- Writes the dictionary of the current plan and opens it.
---@param on_done function|nil called with the page's path, or nil when it was not written
function M.write_and_open(on_done)
  local function done(path)
    if on_done then
      on_done(path)
    end
  end
  local root = M.current_root()
  if root == nil then
    notify('this buffer is not in a plan folder (a folder with a trackplan.yaml)', vim.log.levels.ERROR)
    return done(nil)
  end
  local binary = require('trackplan').command()[1]
  if vim.fn.executable(binary) ~= 1 then
    notify(('`%s` is not an executable on PATH.\n%s'):format(binary, table.concat(require('trackplan').install_advice(), '\n')), vim.log.levels.ERROR)
    return done(nil)
  end
  local out = M.output_path(root)
  local stderr = {}
  local job = vim.fn.jobstart({ binary, 'doc', '--plan', root, '--out', out }, {
    cwd = root,
    stderr_buffered = true,
    on_stderr = function(_, data)
      stderr = data or {}
    end,
    on_exit = function(_, code)
      vim.schedule(function()
        if code ~= 0 then
          local reason = vim.trim(table.concat(stderr, '\n')):gsub('^error: ', '')
          notify('the dictionary was not written: ' .. reason, vim.log.levels.ERROR)
          return done(nil)
        end
        M.open_in_browser(out)
        notify('opened the dictionary of the plan in the browser (' .. out .. ')')
        done(out)
      end)
    end,
  })
  if job <= 0 then
    notify('could not run ' .. binary, vim.log.levels.ERROR)
    done(nil)
  end
end

return M
