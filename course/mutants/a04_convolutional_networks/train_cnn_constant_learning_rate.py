"""Leaves out the cosine schedule and trains every epoch with the same learning rate lr."""
FUNCTION = "train_cnn"
EDITS = [
    ("    optimizer = torch.optim.Adam(model.parameters(), lr=lr)\n"
     "    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)  # lr (1 + cos(pi e / E)) / 2",
     "    optimizer = torch.optim.Adam(model.parameters(), lr=lr)"),
    ("            batch_losses.append(loss.item())\n"
     "        scheduler.step()  # the next epoch's learning rate",
     "            batch_losses.append(loss.item())"),
]
