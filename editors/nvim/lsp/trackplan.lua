-- The trackplan language server for Neovim 0.11+: `vim.lsp.enable('trackplan')` starts it for the
-- YAML buffers of plan folders (a folder holding a `trackplan.yaml`, and everything below it).
-- Override any field with `vim.lsp.config('trackplan', { ... })`.
return {
  cmd = { 'trackplan', 'lsp' },
  filetypes = { 'yaml' },
  -- YAML files outside plan folders get no trackplan server: `on_dir` is called only inside a plan.
  root_dir = function(bufnr, on_dir)
    local root = require('trackplan').buffer_root(bufnr)
    if root then
      on_dir(root)
    end
  end,
  init_options = vim.deepcopy(require('trackplan').defaults.init_options),
}
