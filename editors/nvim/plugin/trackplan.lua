-- The plugin's commands, whether it is set up with `require('trackplan').setup{}` or enabled with
-- `vim.lsp.enable('trackplan')`.
if vim.g.loaded_trackplan_commands then
  return
end
vim.g.loaded_trackplan_commands = true

vim.api.nvim_create_user_command('TrackplanDoc', function()
  require('trackplan.doc').write_and_open()
end, { desc = "trackplan: write the plan's dictionary (trackplan doc) and open it in the browser" })

-- The command the server's code lenses carry (`3 flows · 2 KPIs`): `vim.lsp.codelens.run()` runs it
-- here, in the editor (Neovim 0.7 has `vim.lsp.commands` too).
if vim.lsp.commands then
  vim.lsp.commands['trackplan.findReferences'] = function(command, ctx)
    require('trackplan').find_references(command, ctx)
  end
end
